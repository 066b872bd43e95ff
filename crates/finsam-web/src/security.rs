//! Middleware that guards every request: CSRF on state-changing requests made with a cookie, and the
//! security headers (a strict Content-Security-Policy: nothing loads from outside this server).

use crate::auth::csrf;
use crate::error::{ApiError, AppError, PageError};
use crate::extract::session_id_from_cookie;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

/// Largest form body the CSRF check reads; forms here are small. Larger uploads use the header.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// Every POST, PUT, PATCH and DELETE that could ride on a cookie must carry a CSRF token, in the
/// `csrf_token` form field or the `X-CSRF-Token` header. Requests with a bearer token carry no
/// ambient credential and need none; neither do API requests without cookies.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let is_api = req.uri().path().starts_with("/api/");
    let has_bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "));
    if has_bearer {
        return next.run(req).await;
    }
    let jar = CookieJar::from_headers(req.headers());
    let session = session_id_from_cookie(&state, &jar);
    if is_api && session.is_none() {
        return next.run(req).await;
    }
    let refuse = |e: AppError| {
        if is_api {
            ApiError(e).into_response()
        } else {
            PageError(e).into_response()
        }
    };
    let binding = session.or_else(|| {
        jar.get(state.cfg.csrf_cookie_name())
            .map(|c| c.value().to_owned())
    });
    let Some(binding) = binding else {
        return refuse(AppError::Csrf);
    };

    if let Some(h) = req
        .headers()
        .get(csrf::HEADER)
        .and_then(|v| v.to_str().ok())
    {
        return if state.cfg.verify_csrf(&binding, h) {
            next.run(req).await
        } else {
            refuse(AppError::Csrf)
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        // A file upload cannot be read here without buffering it; its form carries the token in the
        // action's query string instead (never logged: spans name the route, not the URI).
        let token = req.uri().query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == csrf::FORM_FIELD)
                .map(|(_, v)| v.into_owned())
        });
        return match token {
            Some(t) if state.cfg.verify_csrf(&binding, &t) => next.run(req).await,
            _ => refuse(AppError::Csrf),
        };
    }
    if !is_form {
        return refuse(AppError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return refuse(AppError::PayloadTooLarge);
    };
    let token = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == csrf::FORM_FIELD)
        .map(|(_, v)| v.into_owned());
    match token {
        Some(t) if state.cfg.verify_csrf(&binding, &t) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => refuse(AppError::Csrf),
    }
}

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// Headers on every response. Pages and API answers are personal, so nothing is cached.
pub async fn headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: header::HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "SAMEORIGIN");
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    set(
        h,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if is_static {
        set(h, header::CACHE_CONTROL, "public, max-age=3600");
    } else {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    resp
}

//! Extractors: who is asking ([`Auth`]), in which förbund and with which roles ([`TenantCtx`]), and
//! the permission a route needs ([`Tenant<P>`]). A handler that touches tenant data takes one of these,
//! so it cannot be written without the check; the tenant comes only from the verified session plus a
//! membership row, never from the request body.

use crate::auth::jwt::TokenKind;
use crate::error::{ApiError, AppError, PageError};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use finsam_core::{Permission, Role};
use finsam_db::repo::{accounts, insatser, memberships, sessions, tenants};
use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

/// How the request proved who it is.
#[derive(Debug, Clone)]
pub enum AuthVia {
    Bearer,
    /// A browser session; the id is needed for CSRF tokens and logout.
    Session {
        sid: String,
    },
}

#[derive(Debug, Clone)]
pub struct Auth {
    pub account: accounts::Account,
    pub via: AuthVia,
}

impl Auth {
    pub fn sid(&self) -> Option<&str> {
        match &self.via {
            AuthVia::Session { sid } => Some(sid),
            AuthVia::Bearer => None,
        }
    }
}

/// A rejection that answers in the request's own language: JSON under `/api/`, a page (or a redirect
/// to the login page) elsewhere.
pub struct Rejection {
    api: bool,
    path: String,
    error: AppError,
}

impl Rejection {
    fn new(parts: &Parts, error: AppError) -> Self {
        let path = parts.uri.path().to_owned();
        Self {
            api: path.starts_with("/api/"),
            path,
            error,
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match (self.api, self.error) {
            (true, e) => ApiError(e).into_response(),
            (false, AppError::Unauthenticated) => {
                let next: String =
                    url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
                Redirect::to(&format!("/login?next={next}")).into_response()
            }
            (false, e) => PageError(e).into_response(),
        }
    }
}

pub fn client_addr(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The session id in the request's cookie, if the cookie is genuine and unexpired (not yet checked
/// against the sessions table).
pub fn session_id_from_cookie(state: &AppState, jar: &CookieJar) -> Option<String> {
    let cookie = jar.get(state.cfg.session_cookie_name())?;
    let claims = state
        .cfg
        .verify_jwt(cookie.value(), TokenKind::Session, Utc::now())?;
    claims.sid
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Auth, AppError> {
    let now = Utc::now();
    if let Some(token) = bearer(&parts.headers) {
        let claims = state
            .cfg
            .verify_jwt(token, TokenKind::Access, now)
            .ok_or(AppError::Unauthenticated)?;
        let id: i64 = claims.sub.parse().map_err(|_| AppError::Unauthenticated)?;
        let account = accounts::by_id(state.db.platform(), id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        // A password change or a disabled account ends earlier tokens at once.
        if account.disabled || claims.iat_ms < account.credentials_changed_at.timestamp_millis() {
            return Err(AppError::Unauthenticated);
        }
        return Ok(Auth {
            account,
            via: AuthVia::Bearer,
        });
    }
    let jar = CookieJar::from_headers(&parts.headers);
    let sid = session_id_from_cookie(state, &jar).ok_or(AppError::Unauthenticated)?;
    let session = sessions::active(state.db.platform(), &sid, now, state.cfg.session_idle)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let account = accounts::by_id(state.db.platform(), session.account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if account.disabled {
        return Err(AppError::Unauthenticated);
    }
    if now - session.last_seen_at > chrono::Duration::seconds(60) {
        sessions::touch(state.db.platform(), session.id, now).await?;
    }
    Ok(Auth {
        account,
        via: AuthVia::Session { sid },
    })
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.extensions.get::<Auth>() {
            return Ok(auth.clone());
        }
        let auth = authenticate(parts, state)
            .await
            .map_err(|e| Rejection::new(parts, e))?;
        parts.extensions.insert(auth.clone());
        Ok(auth)
    }
}

/// `Option<Auth>`: `None` when nobody is signed in; a database failure is still an error.
impl axum::extract::OptionalFromRequestParts<AppState> for Auth {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <Auth as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(a) => Ok(Some(a)),
            Err(Rejection {
                error: AppError::Unauthenticated,
                ..
            }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The signed-in platform admin. Anyone else gets 403.
pub struct PlatformAdmin(pub Auth);

impl FromRequestParts<AppState> for PlatformAdmin {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, state).await?;
        if !auth.account.is_platform_admin {
            return Err(Rejection::new(parts, AppError::Forbidden));
        }
        Ok(PlatformAdmin(auth))
    }
}

/// A signed-in account inside one förbund where it holds at least one role.
#[derive(Debug, Clone)]
pub struct TenantCtx {
    pub tenant: tenants::Tenant,
    /// The database in this förbund's scope (row-level security on PostgreSQL).
    pub db: finsam_db::Scoped,
    pub auth: Auth,
    pub roles: Vec<Role>,
}

impl TenantCtx {
    pub fn tenant_id(&self) -> i64 {
        self.tenant.id
    }

    pub fn account_id(&self) -> i64 {
        self.auth.account.id
    }

    pub fn can(&self, p: Permission) -> bool {
        self.roles.iter().any(|r| r.can(p))
    }

    /// Which insatser this caller may see: all of them, or (a coach) those they are attached to.
    pub fn insats_visibility(&self) -> insatser::Visibility {
        if self.can(Permission::ReadAll) {
            insatser::Visibility::All
        } else {
            insatser::Visibility::AttachedTo(self.account_id())
        }
    }
}

impl FromRequestParts<AppState> for TenantCtx {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<TenantCtx>() {
            return Ok(ctx.clone());
        }
        let auth = Auth::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| Rejection::new(parts, AppError::NotFound))?;
        let slug = params
            .iter()
            .find(|(k, _)| *k == "slug")
            .map(|(_, v)| v.to_owned())
            .ok_or_else(|| Rejection::new(parts, AppError::NotFound))?;
        let load = async {
            // Unknown slug and "not a member" answer the same 404: the response says nothing about
            // whether a förbund exists.
            let tenant = tenants::by_slug(state.db.platform(), &slug)
                .await?
                .ok_or(AppError::NotFound)?;
            let db = state.db.tenant(tenant.id);
            let roles = memberships::roles_in(&db, tenant.id, auth.account.id).await?;
            if roles.is_empty() {
                return Err(AppError::NotFound);
            }
            Ok::<_, AppError>(TenantCtx {
                tenant,
                db,
                auth: auth.clone(),
                roles,
            })
        };
        let ctx = load.await.map_err(|e| Rejection::new(parts, e))?;
        tracing::Span::current().record("tenant", ctx.tenant.slug.as_str());
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

/// Names a permission at the type level, so a route's requirement is part of its signature.
pub trait Requires {
    const PERMISSION: Permission;
}

pub mod perm {
    use super::Requires;
    use finsam_core::Permission;

    macro_rules! marker {
        ($($name:ident),*) => {$(
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Requires for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }
    marker!(
        ViewTenant,
        ViewPeople,
        ReadAll,
        Manage,
        ManageMemberships,
        ViewAuditLog,
        Report
    );
}

/// A [`TenantCtx`] whose roles grant `P`; otherwise 403 (and 404 outside one's own förbund).
pub struct Tenant<P: Requires>(pub TenantCtx, PhantomData<P>);

impl<P: Requires> std::ops::Deref for Tenant<P> {
    type Target = TenantCtx;
    fn deref(&self) -> &TenantCtx {
        &self.0
    }
}

impl<P: Requires + Send + Sync> FromRequestParts<AppState> for Tenant<P> {
    type Rejection = Rejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = TenantCtx::from_request_parts(parts, state).await?;
        if !ctx.can(P::PERMISSION) {
            return Err(Rejection::new(parts, AppError::Forbidden));
        }
        Ok(Tenant(ctx, PhantomData))
    }
}

/// The caller's address and browser, for the audit log and sessions.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub addr: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn addr_string(&self) -> Option<String> {
        self.addr.map(|a| a.to_string())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect());
        Ok(ClientInfo {
            addr: client_addr(parts),
            user_agent,
        })
    }
}

//! One error type at the edge, rendered as JSON for the API and as a Swedish page for the UI.
//! Every variant maps to one status and one stable code; a new variant must be mapped to compile.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A problem with one input field: `path` names the field (`email`, `signers[2].email`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub path: String,
    pub message: String,
}

impl FieldError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("unauthenticated")]
    Unauthenticated,
    /// Sign-in refused. One message whether the account is unknown or the password wrong.
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("csrf token missing or wrong")]
    Csrf,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("gone")]
    Gone,
    /// The state does not allow it now; the message is for people (Swedish) and is shown as it is.
    #[error("refused: {0}")]
    Refused(String),
    /// A document version without a file (queued, rendering or failed).
    #[error("not ready")]
    NotReady,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body is not what the route takes (not JSON, wrong content type).
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<finsam_db::DbError> for AppError {
    fn from(e: finsam_db::DbError) -> Self {
        match e {
            finsam_db::DbError::Conflict(msg) => AppError::Conflict(msg),
            finsam_db::DbError::Db(e) => {
                AppError::Internal(anyhow::Error::new(e).context("database"))
            }
        }
    }
}

impl From<finsam_core::yearfile::Problem> for FieldError {
    fn from(p: finsam_core::yearfile::Problem) -> Self {
        FieldError::new(p.path, p.message)
    }
}

impl From<finsam_jobs::signing::SigningError> for AppError {
    fn from(e: finsam_jobs::signing::SigningError) -> Self {
        use finsam_jobs::signing::SigningError as E;
        use finsam_signing::RoundError as R;
        match e {
            E::NotFound | E::Refused(R::UnknownLink) => AppError::NotFound,
            E::Field { field, message } => AppError::field(field, &message),
            E::Conflict(m) => AppError::Refused(m),
            E::Refused(r @ (R::Code(_) | R::VersionChanged)) => {
                AppError::field("code", &r.to_string())
            }
            E::Refused(r @ R::ReasonMissing) => AppError::field("reason", &r.to_string()),
            E::Refused(r) => AppError::Refused(r.to_string()),
            E::Other(e) => AppError::Internal(e),
        }
    }
}

impl From<finsam_storage::StorageError> for AppError {
    fn from(e: finsam_storage::StorageError) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("object storage"))
    }
}

impl AppError {
    /// The domain's problems (a year file, a survey …) as a 422 naming each field.
    pub fn problems(p: Vec<finsam_core::yearfile::Problem>) -> Self {
        AppError::Validation(p.into_iter().map(FieldError::from).collect())
    }

    pub fn field(path: &str, message: &str) -> Self {
        AppError::Validation(vec![FieldError::new(path, message)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone => StatusCode::GONE,
            AppError::Refused(_) => StatusCode::CONFLICT,
            AppError::NotReady => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable code in every error body.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf_failed",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict(_) => "conflict",
            AppError::Gone => "gone",
            AppError::Refused(_) => "refused",
            AppError::NotReady => "not_ready",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::BadRequest(_) => "bad_request",
            AppError::Internal(_) => "internal",
        }
    }

    /// A Swedish sentence for people; never includes internal detail.
    pub fn message(&self) -> String {
        match self {
            AppError::NotFound => "Sidan eller uppgiften finns inte.".into(),
            AppError::Unauthenticated => "Du behöver logga in.".into(),
            AppError::InvalidCredentials => "Fel e-postadress eller lösenord.".into(),
            AppError::Forbidden => "Du har inte behörighet till det här.".into(),
            AppError::Csrf => "Formuläret har gått ut. Ladda om sidan och försök igen.".into(),
            AppError::Validation(_) => "Uppgifterna behöver rättas.".into(),
            AppError::Conflict(_) => "Uppgiften finns redan.".into(),
            AppError::Gone => "Länken är inte giltig längre.".into(),
            AppError::Refused(why) => why.clone(),
            AppError::NotReady => {
                "Dokumentet har ingen PDF: det skapas fortfarande, eller så misslyckades det."
                    .into()
            }
            AppError::TooManyRequests { retry_after_secs } => {
                format!("För många försök. Vänta {retry_after_secs} sekunder och försök igen.")
            }
            AppError::PayloadTooLarge => "Det du skickade är för stort.".into(),
            AppError::BadRequest(why) => format!("Begäran kunde inte läsas: {why}"),
            AppError::Internal(_) => "Något gick fel hos oss. Försök igen om en stund.".into(),
        }
    }

    fn log(&self) {
        match self {
            AppError::Internal(e) => tracing::error!(error = ?e, "request failed"),
            other => tracing::info!(code = other.code(), "request refused"),
        }
    }

    fn retry_after(&self, resp: &mut Response) {
        if let AppError::TooManyRequests { retry_after_secs } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// An error answered as JSON: `{"error": {"code", "message", "fields"}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let fields = match &e {
            AppError::Validation(f) => f.clone(),
            _ => vec![],
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: e.code().into(),
                message: e.message(),
                fields,
            },
        };
        let mut resp = (e.status(), axum::Json(body)).into_response();
        e.retry_after(&mut resp);
        resp
    }
}

/// An error answered as a Swedish HTML page, or, for sign-in, a redirect to the login page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let mut resp = (e.status(), crate::views::error_page(&e)).into_response();
        e.retry_after(&mut resp);
        resp
    }
}

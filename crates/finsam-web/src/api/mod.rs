//! The JSON API under `/api/v1`, one module per resource. The OpenAPI document is generated from the
//! handlers' annotations ([`ApiDoc`]).

pub mod accounts_edit;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod budget_edit;
pub mod documents;
pub mod figures;
pub mod health;
pub mod insats_edit;
pub mod insatser;
pub mod logo;
pub mod meetings;
pub mod members;
pub mod organisation;
pub mod people;
pub mod reports;
pub mod schedule;
pub mod signing;
pub mod surveys;
pub mod trail;
pub mod xlsx;
pub mod yeardata;
pub mod yearfile;

use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "Finsam API", description = "Styrning och rapportering för samordningsförbund. Pengar anges i öre som heltal."),
    paths(
        auth::login, auth::me,
        members::list, members::get, members::create, members::update,
        people::list, people::grant, people::revoke,
        insatser::list, insatser::get,
        audit::list,
        yearfile::import, yearfile::export,
        reports::list, reports::get, reports::save, reports::decision,
        xlsx::participants, xlsx::budget,
        figures::key_figures, figures::budget,
        yeardata::texts, yeardata::put_texts, yeardata::settings, yeardata::put_settings,
        organisation::get, organisation::put, organisation::get_staff, organisation::put_staff,
        insats_edit::create, insats_edit::update, insats_edit::put_results,
        meetings::list, meetings::get, meetings::create, meetings::update,
        budget_edit::get, budget_edit::put,
        surveys::list, surveys::get, surveys::create, surveys::update,
        documents::create, documents::list, documents::get_version, documents::pdf,
        schedule::get, schedule::put, schedule::create_run,
        logo::get, logo::put, logo::delete, logo::get_profile, logo::put_profile,
        surveys::results, surveys::put_result, surveys::delete_result,
        accounts_edit::get, accounts_edit::put, accounts_edit::get_delar, accounts_edit::put_delar,
        admin::tenants, admin::create_tenant, admin::invite, admin::accounts,
        signing::start, signing::get_round, signing::events, trail::download, signing::request_code, signing::decision,
        signing::distribute, signing::distribution, signing::verify, signing::verify_reference,
        health::healthz, health::readyz,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::error::FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Inloggning"),
        (name = "tenant", description = "Ett förbunds uppgifter"),
        (name = "admin", description = "Plattformsadministration"),
        (name = "signing", description = "Underskrifter, utskick och verifiering"),
        (name = "ops", description = "Drift")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// A JSON body. Unlike axum's `Json`, a body that does not fit answers in the API's error format:
/// 422 naming the field (`signers[2].email`) for wrong or missing values, 400 for broken JSON, and
/// 413 above the route's body limit.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = crate::error::ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use crate::error::AppError;
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::BadRequest(
                "innehållet ska vara JSON (Content-Type: application/json)".into(),
            )
            .into());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        Ok(ApiJson(parse_json(&bytes)?))
    }
}

/// Parses a JSON body as [`ApiJson`] does. Handlers that address an object by id take the body as
/// bytes and parse it after the lookup, so another förbund's id answers 404 whatever the body holds.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, crate::error::AppError> {
    use crate::error::{AppError, FieldError};
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(AppError::BadRequest(format!("ogiltig JSON: {inner}")));
            }
            let path = if path == "." {
                missing_field(&inner.to_string()).unwrap_or_default()
            } else {
                path
            };
            Err(AppError::Validation(vec![FieldError::new(
                path,
                swedish(&inner.to_string()),
            )]))
        }
    }
}

/// serde reports a missing field at the parent; name the field itself.
fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

fn swedish(msg: &str) -> String {
    if msg.starts_with("missing field") {
        "Uppgiften saknas.".into()
    } else if msg.starts_with("invalid type") {
        format!("Fel typ av värde ({msg}).")
    } else {
        format!("Ogiltigt värde ({msg}).")
    }
}

/// A year in a path: 2000–2100, anything else is not found.
pub fn year_param(year: i32) -> Result<i32, crate::error::AppError> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(crate::error::AppError::NotFound)
    }
}

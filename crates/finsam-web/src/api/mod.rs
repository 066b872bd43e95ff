//! The JSON API under `/api/v1`, one module per resource. The OpenAPI document is generated from the
//! handlers' annotations ([`ApiDoc`]).

pub mod admin;
pub mod audit;
pub mod auth;
pub mod health;
pub mod insatser;
pub mod members;
pub mod people;

use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "Finsam API", description = "Styrning och rapportering för samordningsförbund. Pengar anges i öre som heltal."),
    paths(
        auth::login, auth::me,
        members::list, members::get,
        people::list, people::grant, people::revoke,
        insatser::list, insatser::get,
        audit::list,
        admin::tenants, admin::create_tenant, admin::invite, admin::accounts,
        health::healthz, health::readyz,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::error::FieldError)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Inloggning"),
        (name = "tenant", description = "Ett förbunds uppgifter"),
        (name = "admin", description = "Plattformsadministration"),
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

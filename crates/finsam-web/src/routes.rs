//! The router, as one flat list. Each route is declared with the access it needs; the list is public
//! ([`route_list`]) so the isolation and permission tests cover every route, including new ones.

use crate::extract::Auth;
use crate::state::AppState;
use crate::{api, pages, security};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{Method, header};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, delete, get, post};
use finsam_core::Permission;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// The platform admin only.
    PlatformAdmin,
    /// A member of the förbund in `{slug}` whose roles grant the permission.
    Tenant(Permission),
    /// Like `Tenant(ViewTenant)`, but a coach sees only the insatser they are attached to (404 otherwise).
    TenantInsats,
}

#[derive(Debug, Clone)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

struct Routes {
    router: Router<AppState>,
    list: Vec<RouteInfo>,
}

impl Routes {
    fn add(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.list.push(RouteInfo {
            method,
            path,
            access,
        });
        self.router = self.router.route(path, handler);
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.add(Method::GET, path, access, get(h))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.add(Method::POST, path, access, post(h))
    }

    fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Self {
        self.add(Method::DELETE, path, access, delete(h))
    }
}

fn build() -> Routes {
    use Access::*;
    use Permission::*;
    Routes {
        router: Router::new(),
        list: Vec::new(),
    }
    // Operations
    .get("/healthz", Public, api::health::healthz)
    .get("/readyz", Public, api::health::readyz)
    .get("/metrics", Public, crate::metrics::scrape)
    .get("/api/v1/openapi.json", Public, api::openapi_json)
    .get("/static/app.css", Public, stylesheet)
    // API: sign-in
    .post("/api/v1/auth/login", Public, api::auth::login)
    .get("/api/v1/me", SignedIn, api::auth::me)
    // API: a förbund
    .get(
        "/api/v1/t/{slug}/members",
        Tenant(ViewTenant),
        api::members::list,
    )
    .get(
        "/api/v1/t/{slug}/members/{member_id}",
        Tenant(ViewTenant),
        api::members::get,
    )
    .post(
        "/api/v1/t/{slug}/members",
        Tenant(Manage),
        api::members::create,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/members/{member_id}",
        Tenant(Manage),
        axum::routing::put(api::members::update),
    )
    .get(
        "/api/v1/t/{slug}/people",
        Tenant(ViewPeople),
        api::people::list,
    )
    .post(
        "/api/v1/t/{slug}/memberships",
        Tenant(ManageMemberships),
        api::people::grant,
    )
    .delete(
        "/api/v1/t/{slug}/memberships/{account_id}/{role}",
        Tenant(ManageMemberships),
        api::people::revoke,
    )
    .get(
        "/api/v1/t/{slug}/insatser",
        Tenant(ViewTenant),
        api::insatser::list,
    )
    .get(
        "/api/v1/t/{slug}/insatser/{insats_id}",
        TenantInsats,
        api::insatser::get,
    )
    .post(
        "/api/v1/t/{slug}/insatser",
        Tenant(Manage),
        api::insats_edit::create,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/insatser/{insats_id}",
        Tenant(Manage),
        axum::routing::put(api::insats_edit::update),
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/insatser/{insats_id}/maluppfyllelse/{year}",
        Tenant(Manage),
        axum::routing::put(api::insats_edit::put_results),
    )
    .get(
        "/api/v1/t/{slug}/profile",
        Tenant(ViewTenant),
        api::logo::get_profile,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/profile",
        Tenant(Manage),
        axum::routing::put(api::logo::put_profile),
    )
    .get("/api/v1/t/{slug}/logo", Tenant(ViewTenant), api::logo::get)
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/logo",
        Tenant(Manage),
        axum::routing::put(api::logo::put).layer(DefaultBodyLimit::max(
            finsam_documents::logo::MAX_LOGO_BYTES + 64 * 1024,
        )),
    )
    .delete("/api/v1/t/{slug}/logo", Tenant(Manage), api::logo::delete)
    .post(
        "/api/v1/t/{slug}/documents",
        Tenant(Manage),
        api::documents::create,
    )
    // API: signing, distribution and verification
    .post(
        "/api/v1/t/{slug}/versions/{version_id}/signing-rounds",
        Tenant(Manage),
        api::signing::start,
    )
    .get(
        "/api/v1/t/{slug}/signing-rounds/{round_id}",
        Tenant(Manage),
        api::signing::get_round,
    )
    .get(
        "/api/v1/t/{slug}/signing-rounds/{round_id}/events",
        Tenant(Manage),
        api::signing::events,
    )
    .get(
        "/api/v1/t/{slug}/signing-rounds/{round_id}/audit-trail",
        Tenant(Manage),
        api::trail::download,
    )
    .post(
        "/api/v1/t/{slug}/versions/{version_id}/distribution",
        Tenant(Manage),
        api::signing::distribute,
    )
    .get(
        "/api/v1/t/{slug}/versions/{version_id}/distribution",
        Tenant(Manage),
        api::signing::distribution,
    )
    .post(
        "/api/v1/sign/{token}/code",
        Public,
        api::signing::request_code,
    )
    .post("/api/v1/sign/{token}", Public, api::signing::decision)
    .add(
        Method::POST,
        "/api/v1/verify",
        Public,
        post(api::signing::verify).layer(DefaultBodyLimit::max(api::signing::MAX_VERIFY_BYTES)),
    )
    .get(
        "/api/v1/verify/{reference}",
        Public,
        api::signing::verify_reference,
    )
    .get(
        "/api/v1/t/{slug}/documents",
        Tenant(ReadAll),
        api::documents::list,
    )
    .get(
        "/api/v1/t/{slug}/versions/{version_id}",
        Tenant(ReadAll),
        api::documents::get_version,
    )
    .get(
        "/api/v1/t/{slug}/versions/{version_id}/pdf",
        Tenant(ReadAll),
        api::documents::pdf,
    )
    .get(
        "/api/v1/t/{slug}/surveys",
        Tenant(ReadAll),
        api::surveys::list,
    )
    .post(
        "/api/v1/t/{slug}/surveys",
        Tenant(Manage),
        api::surveys::create,
    )
    .get(
        "/api/v1/t/{slug}/surveys/{survey_id}",
        Tenant(ReadAll),
        api::surveys::get,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/surveys/{survey_id}",
        Tenant(Manage),
        axum::routing::put(api::surveys::update),
    )
    .get(
        "/api/v1/t/{slug}/insatser/{insats_id}/surveys/{year}",
        Tenant(ReadAll),
        api::surveys::results,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/insatser/{insats_id}/surveys/{year}/{survey_id}",
        Tenant(Manage),
        axum::routing::put(api::surveys::put_result),
    )
    .delete(
        "/api/v1/t/{slug}/insatser/{insats_id}/surveys/{year}/{survey_id}",
        Tenant(Manage),
        api::surveys::delete_result,
    )
    .get(
        "/api/v1/t/{slug}/meetings",
        Tenant(ReadAll),
        api::meetings::list,
    )
    .post(
        "/api/v1/t/{slug}/meetings",
        Tenant(Manage),
        api::meetings::create,
    )
    .get(
        "/api/v1/t/{slug}/meetings/{meeting_id}",
        Tenant(ReadAll),
        api::meetings::get,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/meetings/{meeting_id}",
        Tenant(Manage),
        axum::routing::put(api::meetings::update),
    )
    .get(
        "/api/v1/t/{slug}/years/{year}/budget",
        Tenant(ReadAll),
        api::budget_edit::get,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/years/{year}/budget",
        Tenant(Manage),
        axum::routing::put(api::budget_edit::put),
    )
    .get(
        "/api/v1/t/{slug}/years/{year}/accounts",
        Tenant(ReadAll),
        api::accounts_edit::get,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/years/{year}/accounts",
        Tenant(Manage),
        axum::routing::put(api::accounts_edit::put),
    )
    .get(
        "/api/v1/t/{slug}/years/{year}/delar",
        Tenant(ReadAll),
        api::accounts_edit::get_delar,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/years/{year}/delar",
        Tenant(Manage),
        axum::routing::put(api::accounts_edit::put_delar),
    )
    .get(
        "/api/v1/t/{slug}/kansli",
        Tenant(ReadAll),
        api::organisation::get_staff,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/kansli",
        Tenant(Manage),
        axum::routing::put(api::organisation::put_staff),
    )
    .get(
        "/api/v1/t/{slug}/audit",
        Tenant(ViewAuditLog),
        api::audit::list,
    )
    .add(
        Method::POST,
        "/api/v1/t/{slug}/import",
        Tenant(Manage),
        post(api::yearfile::import)
            .layer(DefaultBodyLimit::max(api::yearfile::MAX_YEAR_FILE_BYTES)),
    )
    .get(
        "/api/v1/t/{slug}/export",
        Tenant(ReadAll),
        api::yearfile::export,
    )
    .get(
        "/api/v1/t/{slug}/years/{year}/deltagare.xlsx",
        Tenant(ReadAll),
        api::xlsx::participants,
    )
    .get(
        "/api/v1/t/{slug}/years/{year}/key-figures",
        Tenant(ReadAll),
        api::figures::key_figures,
    )
    .get(
        "/api/v1/t/{slug}/budgets/{year}/budget.xlsx",
        Tenant(ReadAll),
        api::xlsx::budget,
    )
    .get(
        "/api/v1/t/{slug}/budgets/{year}",
        Tenant(ReadAll),
        api::figures::budget,
    )
    .get(
        "/api/v1/t/{slug}/years/{year}/texts",
        Tenant(ReadAll),
        api::yeardata::texts,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/years/{year}/texts",
        Tenant(Manage),
        axum::routing::put(api::yeardata::put_texts),
    )
    .get(
        "/api/v1/t/{slug}/years/{year}/settings",
        Tenant(ReadAll),
        api::yeardata::settings,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/years/{year}/settings",
        Tenant(Manage),
        axum::routing::put(api::yeardata::put_settings),
    )
    .get(
        "/api/v1/t/{slug}/organisation/{body}",
        Tenant(ReadAll),
        api::organisation::get,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/organisation/{body}",
        Tenant(Manage),
        axum::routing::put(api::organisation::put),
    )
    .get(
        "/api/v1/t/{slug}/coach-reports",
        Tenant(ViewTenant),
        api::reports::list,
    )
    .post(
        "/api/v1/t/{slug}/coach-reports",
        Tenant(Report),
        api::reports::save,
    )
    .get(
        "/api/v1/t/{slug}/coach-reports/{report_id}",
        TenantInsats,
        api::reports::get,
    )
    .post(
        "/api/v1/t/{slug}/coach-reports/{report_id}/decision",
        Tenant(Manage),
        api::reports::decision,
    )
    // API: the platform
    .get("/api/v1/admin/tenants", PlatformAdmin, api::admin::tenants)
    .post(
        "/api/v1/admin/tenants",
        PlatformAdmin,
        api::admin::create_tenant,
    )
    .post(
        "/api/v1/admin/invitations",
        PlatformAdmin,
        api::admin::invite,
    )
    .get(
        "/api/v1/admin/accounts",
        PlatformAdmin,
        api::admin::accounts,
    )
    // Pages: signing in and out
    .get("/", Public, pages::login::root)
    .get("/login", Public, pages::login::show)
    .post("/login", Public, pages::login::submit)
    .post("/logout", SignedIn, pages::login::logout)
    .get("/inbjudan/{token}", Public, pages::account::invitation_show)
    .post(
        "/inbjudan/{token}",
        Public,
        pages::account::invitation_submit,
    )
    .get("/aterstall", Public, pages::account::reset_request_show)
    .post("/aterstall", Public, pages::account::reset_request_submit)
    .get("/aterstall/{token}", Public, pages::account::reset_show)
    .post("/aterstall/{token}", Public, pages::account::reset_submit)
    .get("/konto/losenord", SignedIn, pages::account::change_show)
    .post("/konto/losenord", SignedIn, pages::account::change_submit)
    // Pages: a förbund
    .get("/t", SignedIn, pages::tenant::picker)
    .get("/t/{slug}", Tenant(ViewTenant), pages::tenant::home)
    .get(
        "/t/{slug}/personer",
        Tenant(ManageMemberships),
        pages::tenant::people,
    )
    .post(
        "/t/{slug}/personer",
        Tenant(ManageMemberships),
        pages::tenant::invite,
    )
    .post(
        "/t/{slug}/personer/{account_id}/ta-bort",
        Tenant(ManageMemberships),
        pages::tenant::revoke,
    )
    .get("/t/{slug}/ar", Tenant(ReadAll), pages::year::index)
    .get("/t/{slug}/ar/{year}", Tenant(ReadAll), pages::year::show)
    .add(
        Method::POST,
        "/t/{slug}/import",
        Tenant(Manage),
        post(pages::year::import).layer(DefaultBodyLimit::max(
            api::yearfile::MAX_YEAR_FILE_BYTES + 64 * 1024,
        )),
    )
    .get(
        "/t/{slug}/medlemmar/ny",
        Tenant(Manage),
        pages::members::new_form,
    )
    .post(
        "/t/{slug}/medlemmar",
        Tenant(Manage),
        pages::members::create,
    )
    .get(
        "/t/{slug}/medlemmar/{member_id}",
        Tenant(Manage),
        pages::members::edit_form,
    )
    .post(
        "/t/{slug}/medlemmar/{member_id}",
        Tenant(Manage),
        pages::members::update,
    )
    .get(
        "/t/{slug}/kansli",
        Tenant(Manage),
        pages::organisation_edit::staff_form,
    )
    .post(
        "/t/{slug}/kansli",
        Tenant(Manage),
        pages::organisation_edit::staff_save,
    )
    .get(
        "/t/{slug}/organisation/{body}",
        Tenant(Manage),
        pages::organisation_edit::form,
    )
    .post(
        "/t/{slug}/organisation/{body}",
        Tenant(Manage),
        pages::organisation_edit::save,
    )
    .get(
        "/t/{slug}/ar/{year}/organisation",
        Tenant(ReadAll),
        pages::organisation::show,
    )
    .get(
        "/t/{slug}/ar/{year}/rakenskaper",
        Tenant(Manage),
        pages::yeardata::accounts_form,
    )
    .post(
        "/t/{slug}/ar/{year}/rakenskaper",
        Tenant(Manage),
        pages::yeardata::accounts_save,
    )
    .get(
        "/t/{slug}/ar/{year}/delar",
        Tenant(Manage),
        pages::yeardata::delar_form,
    )
    .post(
        "/t/{slug}/ar/{year}/delar",
        Tenant(Manage),
        pages::yeardata::delar_save,
    )
    .get(
        "/t/{slug}/ar/{year}/budget",
        Tenant(Manage),
        pages::yeardata::budget_form,
    )
    .post(
        "/t/{slug}/ar/{year}/budget",
        Tenant(Manage),
        pages::yeardata::budget_save,
    )
    .get(
        "/t/{slug}/ar/{year}/texter",
        Tenant(Manage),
        pages::yeardata::texts_form,
    )
    .post(
        "/t/{slug}/ar/{year}/texter",
        Tenant(Manage),
        pages::yeardata::texts_save,
    )
    .get(
        "/t/{slug}/ar/{year}/installningar",
        Tenant(Manage),
        pages::yeardata::settings_form,
    )
    .post(
        "/t/{slug}/ar/{year}/installningar",
        Tenant(Manage),
        pages::yeardata::settings_save,
    )
    .get(
        "/t/{slug}/insatser",
        Tenant(ViewTenant),
        pages::insatser::list,
    )
    .get(
        "/t/{slug}/insatser/ny",
        Tenant(Manage),
        pages::insatser::new_form,
    )
    .post(
        "/t/{slug}/insatser",
        Tenant(Manage),
        pages::insatser::create,
    )
    .get(
        "/t/{slug}/insatser/{insats_id}",
        TenantInsats,
        pages::insatser::show,
    )
    .post(
        "/t/{slug}/insatser/{insats_id}",
        Tenant(Manage),
        pages::insatser::update,
    )
    .get("/t/{slug}/logotyp", Tenant(Manage), pages::logo::show)
    .add(
        Method::POST,
        "/t/{slug}/logotyp",
        Tenant(Manage),
        post(pages::logo::upload).layer(DefaultBodyLimit::max(
            finsam_documents::logo::MAX_LOGO_BYTES + 64 * 1024,
        )),
    )
    .post(
        "/t/{slug}/logotyp/orgnr",
        Tenant(Manage),
        pages::logo::save_orgnr,
    )
    .post(
        "/t/{slug}/logotyp/ta-bort",
        Tenant(Manage),
        pages::logo::remove,
    )
    .get(
        "/t/{slug}/dokument",
        Tenant(ReadAll),
        pages::documents::list,
    )
    .post(
        "/t/{slug}/dokument",
        Tenant(Manage),
        pages::documents::create,
    )
    .get(
        "/t/{slug}/dokument/versioner/{version_id}",
        Tenant(ReadAll),
        pages::documents::version,
    )
    .get(
        "/t/{slug}/dokument/versioner/{version_id}/pdf",
        Tenant(ReadAll),
        pages::documents::pdf,
    )
    // Signing: the kansli's pages, the signer's page, verification and the download link.
    .get(
        "/t/{slug}/dokument/versioner/{version_id}/underskrift",
        Tenant(Manage),
        pages::signing::start_form,
    )
    .post(
        "/t/{slug}/dokument/versioner/{version_id}/underskrift",
        Tenant(Manage),
        pages::signing::start,
    )
    .get(
        "/t/{slug}/underskrifter",
        Tenant(Manage),
        pages::signing::list,
    )
    .get(
        "/t/{slug}/underskrifter/{round_id}",
        Tenant(Manage),
        pages::signing::show,
    )
    .get(
        "/t/{slug}/underskrifter/{round_id}/ny-omgang",
        Tenant(Manage),
        pages::signing::restart,
    )
    .post(
        "/t/{slug}/underskrifter/{round_id}/utskick",
        Tenant(Manage),
        pages::signing::distribute,
    )
    .get("/sign/{token}", Public, pages::signing::sign_page)
    .get("/sign/{token}/pdf", Public, pages::signing::sign_pdf)
    .post("/sign/{token}/kod", Public, pages::signing::sign_code)
    .post("/sign/{token}", Public, pages::signing::sign_decide)
    .get("/verify", Public, pages::signing::verify_form)
    .add(
        Method::POST,
        "/verify",
        Public,
        post(pages::signing::verify_upload).layer(DefaultBodyLimit::max(
            api::signing::MAX_VERIFY_BYTES + 64 * 1024,
        )),
    )
    .get(
        "/verify/{reference}",
        Public,
        pages::signing::verify_reference,
    )
    .get("/d/{token}", Public, pages::signing::download)
    // The yearly cycle (årshjul): API and pages.
    .get(
        "/api/v1/t/{slug}/schedule",
        Tenant(ReadAll),
        api::schedule::get,
    )
    .add(
        Method::PUT,
        "/api/v1/t/{slug}/schedule",
        Tenant(Manage),
        axum::routing::put(api::schedule::put),
    )
    .post(
        "/api/v1/t/{slug}/schedule/runs",
        Tenant(Manage),
        api::schedule::create_run,
    )
    .get("/t/{slug}/arshjul", Tenant(ReadAll), pages::schedule::show)
    .post("/t/{slug}/arshjul", Tenant(Manage), pages::schedule::save)
    .post(
        "/t/{slug}/arshjul/kor",
        Tenant(Manage),
        pages::schedule::run,
    )
    .get("/t/{slug}/enkater", Tenant(ReadAll), pages::surveys::list)
    .get(
        "/t/{slug}/enkater/ny",
        Tenant(Manage),
        pages::surveys::new_form,
    )
    .post("/t/{slug}/enkater", Tenant(Manage), pages::surveys::create)
    .get(
        "/t/{slug}/enkater/{survey_id}",
        Tenant(Manage),
        pages::surveys::edit_form,
    )
    .post(
        "/t/{slug}/enkater/{survey_id}",
        Tenant(Manage),
        pages::surveys::update,
    )
    .get(
        "/t/{slug}/insatser/{insats_id}/enkater/{year}",
        Tenant(ReadAll),
        pages::surveys::results,
    )
    .post(
        "/t/{slug}/insatser/{insats_id}/enkater/{year}/{survey_id}",
        Tenant(Manage),
        pages::surveys::save,
    )
    .post(
        "/t/{slug}/insatser/{insats_id}/enkater/{year}/{survey_id}/ta-bort",
        Tenant(Manage),
        pages::surveys::remove,
    )
    .post(
        "/t/{slug}/insatser/{insats_id}/maluppfyllelse/{year}",
        Tenant(Manage),
        pages::insatser::results,
    )
    .get("/t/{slug}/moten", Tenant(ReadAll), pages::meetings::list)
    .get(
        "/t/{slug}/moten/ny",
        Tenant(Manage),
        pages::meetings::new_form,
    )
    .post("/t/{slug}/moten", Tenant(Manage), pages::meetings::create)
    .get(
        "/t/{slug}/moten/{meeting_id}",
        Tenant(ReadAll),
        pages::meetings::show,
    )
    .post(
        "/t/{slug}/moten/{meeting_id}",
        Tenant(Manage),
        pages::meetings::update,
    )
    .get(
        "/t/{slug}/rapporter",
        Tenant(ViewTenant),
        pages::reports::list,
    )
    .get(
        "/t/{slug}/rapporter/ny",
        Tenant(Report),
        pages::reports::new_form,
    )
    .post("/t/{slug}/rapporter", Tenant(Report), pages::reports::save)
    .get(
        "/t/{slug}/rapporter/{report_id}",
        TenantInsats,
        pages::reports::show,
    )
    .post(
        "/t/{slug}/rapporter/{report_id}/beslut",
        Tenant(Manage),
        pages::reports::decision,
    )
    .get(
        "/t/{slug}/logg",
        Tenant(ViewAuditLog),
        pages::tenant::audit_log,
    )
    // Pages: the platform
    .get("/admin", PlatformAdmin, pages::admin::show)
    .post("/admin/inbjudningar", PlatformAdmin, pages::admin::invite)
    .post("/admin/forbund", PlatformAdmin, pages::admin::create_tenant)
    .post(
        "/admin/konton/{account_id}/inaktivera",
        PlatformAdmin,
        pages::admin::disable,
    )
    .post(
        "/admin/konton/{account_id}/aktivera",
        PlatformAdmin,
        pages::admin::enable,
    )
    .get("/admin/logg", PlatformAdmin, pages::admin::audit_log)
}

/// Every route with its method and access, for tests and docs.
pub fn route_list() -> Vec<RouteInfo> {
    build().list
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/app.css"),
    )
}

async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    let e = crate::error::AppError::NotFound;
    if uri.path().starts_with("/api/") {
        crate::error::ApiError(e).into_response()
    } else {
        crate::error::PageError(e).into_response()
    }
}

/// What a worker answers: liveness, readiness and metrics, nothing else.
pub fn ops_router(state: AppState) -> Router {
    crate::metrics::handle();
    Router::new()
        .route("/healthz", axum::routing::get(api::health::healthz))
        .route("/readyz", axum::routing::get(api::health::readyz))
        .route("/metrics", axum::routing::get(crate::metrics::scrape))
        .layer(middleware::from_fn(crate::metrics::track))
        .with_state(state)
}

/// The whole application: routes, fallbacks, CSRF, security headers, body limit and tracing.
pub fn router(state: AppState) -> Router {
    let trace = tower_http::trace::TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
        // The matched route, never the raw path: raw paths carry tokens (/inbjudan/{token}).
        let route = req
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|m| m.as_str().to_owned())
            .unwrap_or_else(|| "unmatched".into());
        let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        tracing::info_span!("request", method = %req.method(), route, request_id, tenant = tracing::field::Empty)
    });
    let _ = std::marker::PhantomData::<Auth>;
    crate::metrics::handle();
    build()
        .router
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::csrf_guard,
        ))
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn(crate::metrics::track))
        .layer(trace)
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            tower_http::request_id::MakeRequestUuid,
        ))
        .with_state(state)
}

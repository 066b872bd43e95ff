//! Signing in the browser. The kansli starts a round from a version and follows it; a signer opens the
//! link from the e-mail (no account), asks for a code and signs or declines; anyone verifies a sealed
//! PDF. Every form works without JavaScript.

use crate::api::signing::{
    self as api, DecisionIn, DistributionRequest, RecipientIn, SignerIn, StartRequest,
};
use crate::api::trail::{event_detail, event_label, status_label};
use crate::error::{AppError, FieldError, PageError};
use crate::extract::{ClientInfo, Tenant, TenantCtx, perm};
use crate::state::AppState;
use crate::views::{self, FormErrors, csrf_for_page};
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::{Duration, Utc};
use finsam_core::time::format_stockholm_minutes;
use finsam_db::repo::documents;
use finsam_db::repo::signing as repo;
use finsam_jobs::signing::{SignerView, document_title, parse_state, proposed_signers};
use finsam_signing::round::stockholm_date;
use finsam_signing::{RoundError, RoundStatus, SignerStatus, hash_of};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

/// Rows for signers on the start form beyond the proposed ones.
const EXTRA_ROWS: usize = 3;

// ---------------------------------------------------------------------------------------------------
// The kansli: start a round

#[derive(Serialize, Default, Clone)]
struct SignerRow {
    name: String,
    email: String,
    title: String,
    organisation: String,
}

async fn start_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    version_id: i64,
    typed: Option<(Vec<SignerRow>, StartFormValues)>,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let v = documents::version(&ctx.db, ctx.tenant_id(), version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let doc = documents::get(&ctx.db, ctx.tenant_id(), v.document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = document_title(&state.db, &doc).await;
    let today = stockholm_date(Utc::now());
    let mut defaults_problem = None;
    let (rows, values) = match typed {
        Some(t) => t,
        None => {
            let rows = match proposed_signers(&state.db, &doc, today).await {
                Ok(list) => list
                    .into_iter()
                    .map(|p| SignerRow {
                        name: p.name,
                        email: p.email.map(|e| e.as_str().to_owned()).unwrap_or_default(),
                        title: p.title.unwrap_or_default(),
                        organisation: p.organisation.unwrap_or_default(),
                    })
                    .collect(),
                Err(e) => {
                    defaults_problem = Some(AppError::from(e).message_for_field());
                    Vec::new()
                }
            };
            let deadline = if doc.kind == "arsredovisning" {
                // The members expect the årsredovisning signed by 31 March.
                let d = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 3, 31)
                    .filter(|d| *d >= today + Duration::days(7))
                    .unwrap_or(today + Duration::days(14));
                d.to_string()
            } else {
                (today + Duration::days(14)).to_string()
            };
            (
                rows,
                StartFormValues {
                    deadline,
                    ..Default::default()
                },
            )
        }
    };
    let mut rows = rows;
    rows.extend(std::iter::repeat_n(SignerRow::default(), EXTRA_ROWS));
    let rounds = repo::for_version(&ctx.db, ctx.tenant_id(), v.id).await?;
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    views::render(
        "signing_start.html",
        context! {
            title => format!("Skicka för underskrift: {title}"), heading => title,
            version => context! { id => v.id, number => v.number, status => v.status.clone(), draft => v.draft, sha => v.pdf_sha256.clone() },
            rows => Value::from(Serde(&rows)), values => Value::from(Serde(&values)),
            defaults_problem, busy => rounds.iter().any(|r| r.status == "pending" || r.status == "sealed"),
            rounds => rounds.iter().map(|r| context! { id => r.id, status => status_label(&r.status) }).collect::<Vec<_>>(),
            errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

trait FieldMessage {
    fn message_for_field(&self) -> String;
}

impl FieldMessage for AppError {
    fn message_for_field(&self) -> String {
        match self {
            AppError::Validation(f) => f
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join(" "),
            other => other.message(),
        }
    }
}

pub async fn start_form(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((
        jar,
        start_page(&state, &ctx, &csrf, path.1, None, None).await?,
    )
        .into_response())
}

#[derive(Serialize, Default, Clone)]
struct StartFormValues {
    /// The round this one restarts.
    previous: Option<i64>,
    deadline: String,
    message: String,
    ordered: bool,
    distribute: bool,
}

/// The start form: `name_0`, `email_0`, `title_0`, `organisation_0`, … plus the round's fields.
fn parse_start_form(pairs: &[(String, String)]) -> (Vec<SignerRow>, StartFormValues) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    for i in 0..100 {
        let name = get(&format!("name_{i}"));
        let email = get(&format!("email_{i}"));
        let title = get(&format!("title_{i}"));
        let organisation = get(&format!("organisation_{i}"));
        if !pairs.iter().any(|(n, _)| n == &format!("name_{i}")) {
            break;
        }
        if [&name, &email, &title, &organisation]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            continue;
        }
        rows.push(SignerRow {
            name,
            email,
            title,
            organisation,
        });
    }
    let values = StartFormValues {
        previous: get("previous_round_id").parse().ok(),
        deadline: get("deadline"),
        message: get("message"),
        ordered: !get("ordered").is_empty(),
        distribute: !get("distribute").is_empty(),
    };
    (rows, values)
}

pub async fn start(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let version_id = path.1;
    documents::version(&ctx.db, ctx.tenant_id(), version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (rows, mut values) = parse_start_form(&pairs);
    // A restart names the round it replaces; only a round of this förbund and version counts.
    if let Some(p) = values.previous {
        let ok = repo::get(&ctx.db, ctx.tenant_id(), p)
            .await?
            .is_some_and(|r| r.version_id == version_id);
        if !ok {
            values.previous = None;
        }
    }
    let req = StartRequest {
        signers: Some(
            rows.iter()
                .map(|r| SignerIn {
                    name: r.name.clone(),
                    email: r.email.clone(),
                    title: Some(r.title.clone()),
                    organisation: Some(r.organisation.clone()),
                })
                .collect(),
        ),
        ordered: values.ordered,
        deadline: values.deadline.clone(),
        message: Some(values.message.clone()),
        reminder_days: None,
        distribute_when_sealed: values.distribute,
    };
    let result = match api::start_round(&ctx, version_id, req, values.previous) {
        Ok(start) => api::start_and_audit(&state, &ctx, &client, start).await,
        Err(e) => Err(e),
    };
    let errors = match result {
        Ok(row) => {
            return Ok(
                Redirect::to(&format!("/t/{}/underskrifter/{}", ctx.tenant.slug, row.id))
                    .into_response(),
            );
        }
        Err(AppError::Validation(fields)) => fields
            .into_iter()
            .map(|f| FieldError::new(form_field(&f.path), &f.message))
            .collect(),
        Err(AppError::Refused(m)) => vec![FieldError::new("version", &m)],
        Err(e) => return Err(e.into()),
    };
    let (jar, csrf) = csrf_for_page(&state, jar);
    let html = start_page(
        &state,
        &ctx,
        &csrf,
        version_id,
        Some((rows, values)),
        Some(FormErrors::from_fields(errors)),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
}

/// The API's field path as the form's input name: `signers[1].email` → `email_1`.
fn form_field(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("signers[")
        && let Some((i, f)) = rest.split_once("].")
    {
        return format!("{f}_{i}");
    }
    if path == "signers" {
        return "name_0".into();
    }
    path.to_owned()
}

// ---------------------------------------------------------------------------------------------------
// The kansli: follow rounds

pub async fn list(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    let mut rounds = Vec::new();
    for r in repo::list(&ctx.db, ctx.tenant_id()).await? {
        let Some(doc) = documents::get(&ctx.db, ctx.tenant_id(), r.document_id).await? else {
            continue;
        };
        let round = parse_state(&r).map_err(AppError::Internal)?;
        let signed = round
            .signers
            .iter()
            .filter(|s| s.status == SignerStatus::Signed)
            .count();
        rounds.push(context! {
            id => r.id, document => document_title(&state.db, &doc).await, status => status_label(&r.status),
            reference => r.reference.clone(), deadline => round.deadline.to_string(),
            started => format_stockholm_minutes(r.created_at), signed, total => round.signers.len(),
        });
    }
    let layout = views::layout(&state, &ctx.auth, Some(&ctx), &csrf).await?;
    let html = views::render(
        "signing_rounds.html",
        context! { title => "Underskrifter", rounds, tenant => views::tenant_value(&ctx), ..layout },
    )?;
    Ok((jar, html).into_response())
}

async fn round_page(
    state: &AppState,
    ctx: &TenantCtx,
    csrf: &str,
    round_id: i64,
    errors: Option<FormErrors>,
) -> Result<Html<String>, AppError> {
    let (row, round) = api::find_round(state, ctx.tenant_id(), round_id).await?;
    let doc = documents::get(&ctx.db, ctx.tenant_id(), row.document_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = document_title(&state.db, &doc).await;
    let out = api::round_out(&row, &round);
    let signers: Vec<Value> = out
        .signers
        .iter()
        .map(|s| {
            context! {
                name => s.name.clone(), email => s.email.clone(), title => s.title.clone(),
                organisation => s.organisation.clone(), status => status_label(&s.status),
                signed_at => s.signed_at.clone(), declined_reason => s.declined_reason.clone(),
                reminders => s.reminders_sent,
            }
        })
        .collect();
    let events: Vec<Value> = api::audit_trail(state, &row, &round)
        .await?
        .into_iter()
        .map(|e| {
            let detail = event_detail(&e);
            context! { at => e.at, what => event_label(&e.kind), signer => e.signer, detail }
        })
        .collect();
    let distribution = match out.sealed_version_id {
        Some(v) => api::distribution_state(state, ctx.tenant_id(), v)
            .await?
            .into_iter()
            .map(|d| {
                context! {
                    email => d.email, name => d.name, status => status_label(&d.status),
                    delivery => if d.delivery == "link" { "Länk" } else { "Bilaga" },
                    attempts => d.attempts, error => d.error, sent_at => d.sent_at,
                }
            })
            .collect::<Vec<_>>(),
        None => Vec::new(),
    };
    let pending_seal = round.ready_to_seal();
    let layout = views::layout(state, &ctx.auth, Some(ctx), csrf).await?;
    views::render(
        "signing_round.html",
        context! {
            title => format!("Underskrift: {title}"), heading => title,
            round => context! {
                id => row.id, status => out.status.clone(), status_label => status_label(&out.status),
                reference => out.reference.clone(), deadline => out.deadline.clone(), ordered => out.ordered,
                version_id => row.version_id, sealed_version_id => out.sealed_version_id,
                sealed_sha256 => out.sealed_sha256.clone(), sealed_at => out.sealed_at.clone(),
                previous_round_id => out.previous_round_id, message => round.message.clone(),
                distribute => out.distribute_when_sealed, pending_seal,
                verify_url => state.signing.verify_link(&round),
            },
            signers, events, distribution, restartable => matches!(round.status, RoundStatus::Declined | RoundStatus::Expired),
            errors => Value::from(Serde(&errors)),
            tenant => views::tenant_value(ctx),
            ..layout
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let (jar, csrf) = csrf_for_page(&state, jar);
    Ok((jar, round_page(&state, &ctx, &csrf, path.1, None).await?).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DistributeForm {
    recipients: String,
    message: String,
}

pub async fn distribute(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    client: ClientInfo,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
    Form(f): Form<DistributeForm>,
) -> Result<Response, PageError> {
    let (row, _) = api::find_round(&state, ctx.tenant_id(), path.1).await?;
    let extra: Vec<RecipientIn> = f
        .recipients
        .split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|e| RecipientIn {
            email: e.to_owned(),
            name: None,
        })
        .collect();
    let result = async {
        let sealed = api::sealed_version_of(&state, ctx.tenant_id(), row.version_id).await?;
        let members = api::recipients_of(&DistributionRequest::default())?;
        let message = Some(f.message.trim().to_owned()).filter(|m| !m.is_empty());
        // The members' registrators always; the extra recipients (revisorer) beside them.
        api::distribute_and_audit(&state, &ctx, &client, sealed, members, message.clone()).await?;
        if !extra.is_empty() {
            let extra = api::recipients_of(&DistributionRequest {
                recipients: Some(extra),
                message: None,
            })?;
            api::distribute_and_audit(&state, &ctx, &client, sealed, extra, message).await?;
        }
        Ok::<(), AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/t/{}/underskrifter/{}#utskick",
            ctx.tenant.slug, row.id
        ))
        .into_response()),
        Err(AppError::Validation(fields)) => {
            let fields = fields
                .into_iter()
                .map(|f| {
                    let path = if f.path.starts_with("recipients") {
                        "recipients".to_owned()
                    } else {
                        f.path
                    };
                    FieldError::new(&path, &f.message)
                })
                .collect();
            let (jar, csrf) = csrf_for_page(&state, jar);
            let html = round_page(
                &state,
                &ctx,
                &csrf,
                row.id,
                Some(FormErrors::from_fields(fields)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, jar, html).into_response())
        }
        Err(AppError::Refused(m)) => {
            let (jar, csrf) = csrf_for_page(&state, jar);
            let errors = FormErrors::from_fields(vec![FieldError::new("recipients", &m)]);
            let html = round_page(&state, &ctx, &csrf, row.id, Some(errors)).await?;
            Ok((StatusCode::CONFLICT, jar, html).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A new round with the same signers, after a decline or expiry: the start form, filled in.
pub async fn restart(
    State(state): State<AppState>,
    ctx: Tenant<perm::Manage>,
    jar: CookieJar,
    Path(path): Path<(String, i64)>,
) -> Result<Response, PageError> {
    let (row, round) = api::find_round(&state, ctx.tenant_id(), path.1).await?;
    let rows = round
        .signers
        .iter()
        .map(|s| SignerRow {
            name: s.name.clone(),
            email: s.email.as_str().to_owned(),
            title: s.title.clone().unwrap_or_default(),
            organisation: s.organisation.clone().unwrap_or_default(),
        })
        .collect();
    let values = StartFormValues {
        previous: Some(row.id),
        deadline: (stockholm_date(Utc::now()) + Duration::days(14)).to_string(),
        message: round.message.clone().unwrap_or_default(),
        ordered: round.ordered,
        distribute: row.auto_distribute,
    };
    let (jar, csrf) = csrf_for_page(&state, jar);
    let html = start_page(
        &state,
        &ctx,
        &csrf,
        row.version_id,
        Some((rows, values)),
        None,
    )
    .await?;
    Ok((jar, html).into_response())
}

// ---------------------------------------------------------------------------------------------------
// The signer

fn signer_context(v: &SignerView, token: &str) -> Value {
    let others: Vec<Value> = v
        .state
        .signers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            context! {
                name => s.name.clone(), title => s.title.clone(), organisation => s.organisation.clone(),
                status => status_label(s.status.as_str()), me => i == v.signer,
            }
        })
        .collect();
    let me = &v.state.signers[v.signer];
    context! {
        token, forbund => v.forbund.clone(), document => v.document_title.clone(),
        name => me.name.clone(), email => me.email.as_str().to_owned(),
        deadline => v.state.deadline.to_string(), message => v.state.message.clone(),
        signers => others, sha => v.state.version_sha256.clone(),
        code_sent => me.code.issued_at().map(format_stockholm_minutes),
    }
}

fn signer_error_page(e: AppError) -> Response {
    let (status, message) = match &e {
        AppError::NotFound => (StatusCode::NOT_FOUND, RoundError::UnknownLink.to_string()),
        AppError::Refused(m) => (StatusCode::GONE, m.clone()),
        AppError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, e.message()),
        _ => return PageError(e).into_response(),
    };
    (
        status,
        match views::render_or_error(
            "sign.html",
            context! { title => "Underskrift", closed => message },
        ) {
            Ok(h) => h,
            Err(r) => return r.into_response(),
        },
    )
        .into_response()
}

async fn signer_page(
    state: &AppState,
    jar: CookieJar,
    token: &str,
    errors: Option<FormErrors>,
    notice: Option<&str>,
    record_view: bool,
) -> Response {
    let now = Utc::now();
    let view = if record_view {
        state.signing.open(token, now).await
    } else {
        state.signing.peek(token, now).await
    };
    let view = match view {
        Ok(v) => v,
        Err(e) => return signer_error_page(e.into()),
    };
    let (jar, csrf) = csrf_for_page(state, jar);
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = match views::render_or_error(
        "sign.html",
        context! {
            title => format!("Underskrift: {}", view.document_title),
            s => signer_context(&view, token), csrf, notice,
            errors => Value::from(Serde(&errors)),
        },
    ) {
        Ok(h) => h,
        Err(r) => return r.into_response(),
    };
    (status, jar, html).into_response()
}

pub async fn sign_page(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Response {
    if let Err(e) = api::throttle(&state, "sign", &client) {
        return signer_error_page(e);
    }
    signer_page(&state, jar, &token, None, None, true).await
}

pub async fn sign_pdf(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
    Query(q): Query<PdfQuery>,
) -> Response {
    if let Err(e) = api::throttle(&state, "sign", &client) {
        return signer_error_page(e);
    }
    let view = match state.signing.peek(&token, Utc::now()).await {
        Ok(v) => v,
        Err(e) => return signer_error_page(e.into()),
    };
    let Some(sha) = view.version.pdf_sha256.as_deref() else {
        return signer_error_page(AppError::NotReady);
    };
    match state
        .storage
        .get(&finsam_storage::key(view.round.tenant_id, sha, "pdf"))
        .await
    {
        Ok(bytes) => pdf_response(bytes, &view.document_title, q.ladda_ner.is_some()),
        Err(e) => PageError(e.into()).into_response(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PdfQuery {
    ladda_ner: Option<String>,
}

fn pdf_response(bytes: Vec<u8>, title: &str, download: bool) -> Response {
    let ascii: String = title
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'Å' | 'Ä' => 'A',
            'ö' => 'o',
            'Ö' => 'O',
            c if c.is_ascii_alphanumeric() || c == '-' => c,
            _ => '-',
        })
        .collect();
    let disposition = format!(
        "{}; filename=\"{ascii}.pdf\"",
        if download { "attachment" } else { "inline" }
    );
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

pub async fn sign_code(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Response {
    if let Err(e) = api::throttle(&state, "sign", &client) {
        return signer_error_page(e);
    }
    match state.signing.request_code(&token, Utc::now()).await {
        Ok(()) => {
            signer_page(
                &state,
                jar,
                &token,
                None,
                Some("En kod har skickats till din e-postadress. Den gäller i 10 minuter."),
                false,
            )
            .await
        }
        Err(e) => match AppError::from(e) {
            AppError::Validation(f) => {
                signer_page(
                    &state,
                    jar,
                    &token,
                    Some(FormErrors::from_fields(f)),
                    None,
                    false,
                )
                .await
            }
            other => signer_error_page(other),
        },
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    code: String,
    decision: String,
    reason: String,
    shown_sha256: String,
}

pub async fn sign_decide(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Response {
    let d = DecisionIn {
        code: f.code,
        decision: f.decision,
        reason: Some(f.reason),
        shown_sha256: Some(f.shown_sha256).filter(|s| !s.is_empty()),
    };
    match api::decide(&state, &client, &token, d).await {
        Ok((_, round, i)) => {
            let signed = round.signers[i].status == SignerStatus::Signed;
            let message = if signed {
                "Tack! Du har skrivit under dokumentet. När alla har skrivit under får förbundet det förseglade dokumentet."
            } else {
                "Du har avböjt att skriva under. Förbundets kansli har fått veta det och ditt skäl."
            };
            (
                StatusCode::OK,
                match views::render_or_error(
                    "sign.html",
                    context! { title => "Underskrift", done => message, signed },
                ) {
                    Ok(h) => h,
                    Err(r) => return r.into_response(),
                },
            )
                .into_response()
        }
        Err(AppError::Validation(fields)) => {
            signer_page(
                &state,
                jar,
                &token,
                Some(FormErrors::from_fields(fields)),
                None,
                false,
            )
            .await
        }
        Err(e) => signer_error_page(e),
    }
}

// ---------------------------------------------------------------------------------------------------
// Verification (public) and the distribution's download link

fn verify_page(
    result: Option<&api::VerifyOut>,
    asked: Option<&str>,
    csrf: Option<&str>,
    status: StatusCode,
) -> Response {
    (
        status,
        match views::render_or_error(
            "verify.html",
            context! {
                title => "Kontrollera ett underskrivet dokument",
                result => result.map(|r| Value::from(Serde(r))), asked, csrf,
            },
        ) {
            Ok(h) => h,
            Err(r) => return r.into_response(),
        },
    )
        .into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VerifyQuery {
    referens: Option<String>,
}

pub async fn verify_form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<VerifyQuery>,
) -> Response {
    if let Some(r) = q
        .referens
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        let clean: String = r.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        return Redirect::to(&format!("/verify/{}", clean.to_ascii_uppercase())).into_response();
    }
    let (jar, csrf) = csrf_for_page(&state, jar);
    (
        jar,
        match views::render_or_error(
            "verify.html",
            context! { title => "Kontrollera ett underskrivet dokument", csrf },
        ) {
            Ok(h) => h,
            Err(r) => return r.into_response(),
        },
    )
        .into_response()
}

pub async fn verify_upload(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    if let Err(e) = api::throttle(&state, "verify", &client) {
        return PageError(e).into_response();
    }
    let mut bytes = None;
    if let Ok(mut multipart) = multipart {
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some("file") {
                match field.bytes().await {
                    Ok(b) => bytes = Some(b),
                    Err(_) => return PageError(AppError::PayloadTooLarge).into_response(),
                }
            }
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        let (jar, csrf) = csrf_for_page(&state, jar);
        return (
            jar,
            verify_page(
                None,
                Some("Välj en PDF-fil att kontrollera."),
                Some(&csrf),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        )
            .into_response();
    };
    match api::verify_bytes(&state, &bytes).await {
        Ok(r) => verify_page(Some(&r), None, None, StatusCode::OK),
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn verify_reference(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(reference): Path<String>,
) -> Response {
    if let Err(e) = api::throttle(&state, "verify", &client) {
        return PageError(e).into_response();
    }
    match api::by_reference(&state, &reference).await {
        Ok(r) => {
            let status = if r.valid {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            verify_page(Some(&r), None, None, status)
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// A sealed PDF through the expiring link of a distribution e-mail (too large to attach).
pub async fn download(
    State(state): State<AppState>,
    client: ClientInfo,
    Path(token): Path<String>,
) -> Response {
    if let Err(e) = api::throttle(&state, "download", &client) {
        return PageError(e).into_response();
    }
    let found =
        repo::distribution_by_link(&state.db.all_tenants(), &hash_of(&token).to_hex()).await;
    let d = match found {
        Ok(Some(d)) if d.link_expires_at.is_some_and(|e| e > Utc::now()) => d,
        Ok(_) => return PageError(AppError::Gone).into_response(),
        Err(e) => return PageError(e.into()).into_response(),
    };
    let result = async {
        let v = documents::version(&state.db.tenant(d.tenant_id), d.tenant_id, d.version_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let doc = documents::get(&state.db.tenant(d.tenant_id), d.tenant_id, v.document_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let sha = v.pdf_sha256.clone().ok_or(AppError::NotReady)?;
        let bytes = state
            .storage
            .get(&finsam_storage::key(d.tenant_id, &sha, "pdf"))
            .await?;
        Ok::<_, AppError>(pdf_response(
            bytes,
            &document_title(&state.db, &doc).await,
            true,
        ))
    }
    .await;
    result.unwrap_or_else(|e| PageError(e).into_response())
}

//! What the API and the pages share: signing in, sessions, invitations and passwords. Handlers parse
//! input and render; these functions do the work, each inside one transaction where it writes.

use crate::auth::{jwt, password, secret};
use crate::error::{AppError, FieldError};
use crate::extract::{Auth, ClientInfo};
use crate::state::AppState;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{Duration, Utc};
use finsam_core::{EmailAddress, Role};
use finsam_db::repo::{accounts, audit, memberships, outbox, sessions, tenants, tokens};
use serde_json::json;

pub const INVITATION_TTL_DAYS: i64 = 7;
pub const RESET_TTL_MINUTES: i64 = 60;

/// Signs in with e-mail and password. Unknown account, wrong password and disabled account give the
/// same answer and take the same time.
pub async fn login(
    state: &AppState,
    email: &str,
    password_in: &str,
    client: &ClientInfo,
) -> Result<accounts::Account, AppError> {
    state
        .throttle
        .check(email.trim(), client.addr)
        .map_err(|secs| AppError::TooManyRequests {
            retry_after_secs: secs,
        })?;
    let account = match EmailAddress::parse(email) {
        Ok(e) => accounts::by_email(state.db.platform(), &e).await?,
        Err(_) => None,
    };
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let ok = password::verify(password_in.to_owned(), hash).await;
    match account {
        Some(a) if ok && !a.disabled => {
            audit::record(
                &state.db.all_tenants(),
                audit::NewEvent {
                    tenant_id: None,
                    actor_account_id: Some(a.id),
                    action: audit::action::LOGIN,
                    detail: json!({}),
                    client_addr: client.addr_string(),
                },
            )
            .await?;
            Ok(a)
        }
        other => {
            audit::record(
                &state.db.all_tenants(),
                audit::NewEvent {
                    tenant_id: None,
                    actor_account_id: other.as_ref().map(|a| a.id),
                    action: audit::action::LOGIN_FAILED,
                    detail: json!({ "email": email.trim().to_lowercase().chars().take(254).collect::<String>() }),
                    client_addr: client.addr_string(),
                },
            )
            .await?;
            Err(AppError::InvalidCredentials)
        }
    }
}

/// A bearer token for the API, valid for `access_token_ttl` (15 minutes at most).
pub fn access_token(
    state: &AppState,
    account: &accounts::Account,
) -> Result<(String, i64), AppError> {
    let now = Utc::now();
    let ttl = state.cfg.access_token_ttl.min(Duration::minutes(15));
    let claims = jwt::Claims {
        sub: account.id.to_string(),
        typ: jwt::TokenKind::Access,
        sid: None,
        iat: now.timestamp(),
        iat_ms: now.timestamp_millis(),
        exp: (now + ttl).timestamp(),
    };
    Ok((jwt::issue(state.cfg.secret(), &claims)?, ttl.num_seconds()))
}

/// Starts a browser session and adds its cookie to the jar.
pub async fn start_session(
    state: &AppState,
    account: &accounts::Account,
    client: &ClientInfo,
    jar: CookieJar,
) -> Result<CookieJar, AppError> {
    let sid = secret::random_token();
    sessions::create(
        state.db.platform(),
        &sid,
        account.id,
        client.user_agent.clone(),
        client.addr_string(),
    )
    .await?;
    let now = Utc::now();
    let claims = jwt::Claims {
        sub: account.id.to_string(),
        typ: jwt::TokenKind::Session,
        sid: Some(sid),
        iat: now.timestamp(),
        iat_ms: now.timestamp_millis(),
        exp: (now + state.cfg.session_max_age).timestamp(),
    };
    let token = jwt::issue(state.cfg.secret(), &claims)?;
    let cookie = Cookie::build((state.cfg.session_cookie_name(), token))
        .path("/")
        .http_only(true)
        .secure(state.cfg.secure_cookies())
        .same_site(SameSite::Lax)
        .build();
    // The anonymous CSRF cookie has served its purpose; forms now bind to the session.
    Ok(jar
        .add(cookie)
        .remove(Cookie::build(state.cfg.csrf_cookie_name()).path("/")))
}

pub async fn end_session(
    state: &AppState,
    auth: &Auth,
    client: &ClientInfo,
    jar: CookieJar,
) -> Result<CookieJar, AppError> {
    if let Some(sid) = auth.sid() {
        sessions::revoke(state.db.platform(), sid, Utc::now()).await?;
    }
    audit::record(
        &state.db.all_tenants(),
        audit::NewEvent {
            tenant_id: None,
            actor_account_id: Some(auth.account.id),
            action: audit::action::LOGOUT,
            detail: json!({}),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    Ok(jar.remove(Cookie::build(state.cfg.session_cookie_name()).path("/")))
}

/// Where an account lands after signing in.
pub async fn landing_path(
    state: &AppState,
    account: &accounts::Account,
) -> Result<String, AppError> {
    let ms = memberships::for_account(&state.db.all_tenants(), account.id).await?;
    let mut slugs: Vec<&str> = ms.iter().map(|m| m.tenant_slug.as_str()).collect();
    slugs.dedup();
    Ok(match slugs.as_slice() {
        [one] => format!("/t/{one}"),
        [] if account.is_platform_admin => "/admin".to_owned(),
        _ => "/t".to_owned(),
    })
}

/// Checks a new password and its repetition; errors name the fields.
pub fn check_new_password(
    password: &str,
    confirm: &str,
    account_email: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let local = account_email.split('@').next().unwrap_or_default();
    if let Err(msg) = finsam_core::password::check(password, &[account_email, local]) {
        errors.push(FieldError::new("password", msg));
    } else if password != confirm {
        errors.push(FieldError::new(
            "password_confirm",
            "Lösenorden är inte lika.",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub struct Invite<'a> {
    pub inviter: &'a accounts::Account,
    pub tenant: &'a tenants::Tenant,
    pub role: Role,
    pub name: &'a str,
    pub email: &'a str,
}

/// Gives a role to a person, creating their account if needed, and e-mails them: a link to choose a
/// password when the account has none, otherwise a notice. One transaction: the role, the token,
/// the audit rows and the queued e-mail are written together or not at all.
pub async fn invite(
    state: &AppState,
    inv: Invite<'_>,
    client: &ClientInfo,
) -> Result<accounts::Account, AppError> {
    let mut errors = Vec::new();
    let email = EmailAddress::parse(inv.email)
        .map_err(|e| errors.push(FieldError::new("email", e.0)))
        .ok();
    let name = inv.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "Namn saknas."));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new("name", "Namnet får ha högst 200 tecken."));
    }
    let (Some(email), true) = (email, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };

    let txn = state.db.tenant(inv.tenant.id).begin().await?;
    let account = match accounts::by_email(&txn, &email).await? {
        Some(a) => a,
        None => accounts::create(&txn, &email, name, None, false).await?,
    };
    memberships::grant(&txn, inv.tenant.id, account.id, inv.role).await?;
    let expires_at = Utc::now() + Duration::days(INVITATION_TTL_DAYS);
    let (link, key) = if account.password_hash.is_none() {
        let token = secret::random_token();
        let hash = secret::token_hash(&token);
        let row = tokens::create(
            &txn,
            tokens::NewToken {
                token_hash: &hash,
                purpose: tokens::PURPOSE_INVITATION,
                account_id: account.id,
                tenant_id: Some(inv.tenant.id),
                role: Some(inv.role),
                created_by: Some(inv.inviter.id),
                expires_at,
            },
        )
        .await?;
        (
            state.cfg.link(&format!("/inbjudan/{token}")),
            format!("invitation:{}", row.id),
        )
    } else {
        (
            state.cfg.link("/login"),
            format!(
                "role-notice:{}:{}:{}:{}",
                inv.tenant.id,
                account.id,
                inv.role.as_str(),
                Utc::now().timestamp_micros()
            ),
        )
    };
    let msg = finsam_mail::templates::invitation(&finsam_mail::templates::Invitation {
        name: &account.name,
        inviter: &inv.inviter.name,
        tenant: Some((&inv.tenant.name, inv.role.label())),
        link: &link,
        expires: &finsam_core::time::format_stockholm_minutes(expires_at),
        needs_password: account.password_hash.is_none(),
    });
    outbox::enqueue(
        &txn,
        outbox::NewMessage {
            tenant_id: Some(inv.tenant.id),
            idempotency_key: &key,
            recipient: account.email.as_str(),
            subject: &msg.subject,
            body_text: &msg.text,
            body_html: &msg.html,
            ..Default::default()
        },
    )
    .await?;
    for action in [audit::action::INVITATION_SENT, audit::action::ROLE_GRANTED] {
        audit::record(
            &txn,
            audit::NewEvent {
                tenant_id: Some(inv.tenant.id),
                actor_account_id: Some(inv.inviter.id),
                action,
                detail: json!({ "account_id": account.id, "email": account.email, "role": inv.role.as_str() }),
                client_addr: client.addr_string(),
            },
        )
        .await?;
    }
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    state.mail_kick.notify_one();
    Ok(account)
}

/// Takes a role away from someone in the tenant.
pub async fn revoke_role(
    state: &AppState,
    actor: &Auth,
    tenant_id: i64,
    account_id: i64,
    role: Role,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let txn = state.db.tenant(tenant_id).begin().await?;
    if !memberships::revoke(&txn, tenant_id, account_id, role).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(tenant_id),
            actor_account_id: Some(actor.account.id),
            action: audit::action::ROLE_REVOKED,
            detail: json!({ "account_id": account_id, "role": role.as_str() }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(())
}

/// A single-use link token, checked (not yet used).
pub async fn usable_token(
    state: &AppState,
    token: &str,
    purpose: &str,
) -> Result<tokens::OneTimeToken, AppError> {
    tokens::usable(
        state.db.platform(),
        &secret::token_hash(token),
        purpose,
        Utc::now(),
    )
    .await?
    .ok_or(AppError::Gone)
}

/// Sets the password from an invitation or reset link, uses the link up, and ends other sessions.
pub async fn set_password_with_token(
    state: &AppState,
    token: &str,
    purpose: &str,
    password_in: &str,
    confirm: &str,
    client: &ClientInfo,
) -> Result<(accounts::Account, Option<i64>), AppError> {
    let t = usable_token(state, token, purpose).await?;
    let account = accounts::by_id(state.db.platform(), t.account_id)
        .await?
        .ok_or(AppError::Gone)?;
    if account.disabled {
        return Err(AppError::Gone);
    }
    check_new_password(password_in, confirm, &account.email)?;
    let hash = password::hash(password_in.to_owned()).await?;
    let now = Utc::now();
    let txn = state.db.tenant_or_all(t.tenant_id).begin().await?;
    if !tokens::consume(&txn, t.id, now).await? {
        return Err(AppError::Gone);
    }
    accounts::set_password(&txn, account.id, hash, now).await?;
    sessions::revoke_all_for_account(&txn, account.id, None, now).await?;
    let action = if purpose == tokens::PURPOSE_INVITATION {
        audit::action::INVITATION_ACCEPTED
    } else {
        audit::action::PASSWORD_RESET
    };
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: t.tenant_id,
            actor_account_id: Some(account.id),
            action,
            detail: json!({}),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok((account, t.tenant_id))
}

/// Sends a reset link if the account exists. The answer is the same either way.
pub async fn request_password_reset(
    state: &AppState,
    email_in: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let email = EmailAddress::parse(email_in).map_err(|e| AppError::field("email", e.0))?;
    state
        .throttle
        .check(email.as_str(), client.addr)
        .map_err(|secs| AppError::TooManyRequests {
            retry_after_secs: secs,
        })?;
    let Some(account) = accounts::by_email(state.db.platform(), &email).await? else {
        return Ok(());
    };
    if account.disabled {
        return Ok(());
    }
    let token = secret::random_token();
    let expires_at = Utc::now() + Duration::minutes(RESET_TTL_MINUTES);
    let txn = state.db.all_tenants().begin().await?;
    let row = tokens::create(
        &txn,
        tokens::NewToken {
            token_hash: &secret::token_hash(&token),
            purpose: tokens::PURPOSE_PASSWORD_RESET,
            account_id: account.id,
            tenant_id: None,
            role: None,
            created_by: None,
            expires_at,
        },
    )
    .await?;
    let msg = finsam_mail::templates::password_reset(&finsam_mail::templates::PasswordReset {
        name: &account.name,
        email: &account.email,
        link: &state.cfg.link(&format!("/aterstall/{token}")),
        expires: &finsam_core::time::format_stockholm_minutes(expires_at),
    });
    outbox::enqueue(
        &txn,
        outbox::NewMessage {
            tenant_id: None,
            idempotency_key: &format!("password-reset:{}", row.id),
            recipient: &account.email,
            subject: &msg.subject,
            body_text: &msg.text,
            body_html: &msg.html,
            ..Default::default()
        },
    )
    .await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: None,
            actor_account_id: Some(account.id),
            action: audit::action::PASSWORD_RESET_REQUESTED,
            detail: json!({}),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    state.mail_kick.notify_one();
    Ok(())
}

/// Changes the password of the signed-in account; every other session and every bearer token ends.
pub async fn change_password(
    state: &AppState,
    auth: &Auth,
    current: &str,
    new: &str,
    confirm: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    if !password::verify(current.to_owned(), auth.account.password_hash.clone()).await {
        return Err(AppError::field(
            "current_password",
            "Det nuvarande lösenordet stämmer inte.",
        ));
    }
    check_new_password(new, confirm, &auth.account.email)?;
    let hash = password::hash(new.to_owned()).await?;
    let now = Utc::now();
    let txn = state.db.all_tenants().begin().await?;
    accounts::set_password(&txn, auth.account.id, hash, now).await?;
    sessions::revoke_all_for_account(&txn, auth.account.id, auth.sid(), now).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: None,
            actor_account_id: Some(auth.account.id),
            action: audit::action::PASSWORD_CHANGED,
            detail: json!({}),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(())
}

/// Disables or enables an account (platform admin). Disabling ends its sessions at once.
pub async fn set_account_disabled(
    state: &AppState,
    admin: &Auth,
    account_id: i64,
    disabled: bool,
    client: &ClientInfo,
) -> Result<(), AppError> {
    if account_id == admin.account.id {
        return Err(AppError::Forbidden);
    }
    let txn = state.db.all_tenants().begin().await?;
    accounts::by_id(&txn, account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    accounts::set_disabled(&txn, account_id, disabled).await?;
    if disabled {
        sessions::revoke_all_for_account(&txn, account_id, None, Utc::now()).await?;
    }
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: None,
            actor_account_id: Some(admin.account.id),
            action: if disabled {
                audit::action::ACCOUNT_DISABLED
            } else {
                audit::action::ACCOUNT_ENABLED
            },
            detail: json!({ "account_id": account_id }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(())
}

/// Creates a förbund (platform admin).
pub async fn create_tenant(
    state: &AppState,
    admin: &Auth,
    slug: &str,
    name: &str,
    client: &ClientInfo,
) -> Result<tenants::Tenant, AppError> {
    let mut errors = Vec::new();
    let slug = finsam_core::TenantSlug::parse(slug)
        .map_err(|e| errors.push(FieldError::new("slug", e.0)))
        .ok();
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("tenant_name", "Namn saknas."));
    }
    let (Some(slug), true) = (slug, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let txn = state.db.all_tenants().begin().await?;
    if tenants::by_slug(&txn, slug.as_str()).await?.is_some() {
        return Err(AppError::field(
            "slug",
            "Det finns redan ett förbund med det kortnamnet.",
        ));
    }
    let t = tenants::create(&txn, &slug, name).await?;
    audit::record(
        &txn,
        audit::NewEvent {
            tenant_id: Some(t.id),
            actor_account_id: Some(admin.account.id),
            action: audit::action::TENANT_CREATED,
            detail: json!({ "slug": t.slug, "name": t.name }),
            client_addr: client.addr_string(),
        },
    )
    .await?;
    txn.commit().await.map_err(finsam_db::DbError::from)?;
    Ok(t)
}

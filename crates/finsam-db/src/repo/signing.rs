//! Signing rounds, their link index and audit trail, and the distribution of sealed documents.
//!
//! A round's rules live in `finsam-signing`; here it is stored as JSON (`state`) with the columns that
//! queries need beside it. Every change is a compare-and-set on `revision`, so two requests for the
//! same round (a double click, two signers at once) never overwrite each other: the loser reads again.

use crate::Result;
use crate::entities::{distribution, signing_event, signing_link, signing_round};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

pub use distribution::Model as Distribution;
pub use signing_event::Model as RoundEvent;
pub use signing_round::Model as RoundRow;

pub struct NewRoundRow<'a> {
    pub tenant_id: i64,
    pub document_id: i64,
    pub version_id: i64,
    pub reference: &'a str,
    pub status: &'a str,
    pub state: String,
    pub ends_at: DateTime<Utc>,
    pub auto_distribute: bool,
    pub previous_round_id: Option<i64>,
    pub started_by: Option<i64>,
}

pub async fn insert_round<C: ConnectionTrait>(db: &C, r: NewRoundRow<'_>) -> Result<RoundRow> {
    let now = Utc::now();
    Ok(signing_round::ActiveModel {
        tenant_id: Set(r.tenant_id),
        document_id: Set(r.document_id),
        version_id: Set(r.version_id),
        reference: Set(r.reference.to_owned()),
        status: Set(r.status.to_owned()),
        state: Set(r.state),
        revision: Set(0),
        ends_at: Set(r.ends_at),
        auto_distribute: Set(r.auto_distribute),
        previous_round_id: Set(r.previous_round_id),
        sealed_version_id: Set(None),
        sealed_sha256: Set(None),
        started_by: Set(r.started_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Stores a changed round if nobody changed it since `row` was read; false when somebody did.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    row: &RoundRow,
    status: &str,
    state: String,
    sealed_sha256: Option<&str>,
) -> Result<bool> {
    let res = signing_round::Entity::update_many()
        .col_expr(signing_round::Column::Status, Expr::value(status))
        .col_expr(signing_round::Column::State, Expr::value(state))
        .col_expr(
            signing_round::Column::Revision,
            Expr::value(row.revision + 1),
        )
        .col_expr(
            signing_round::Column::SealedSha256,
            Expr::value(sealed_sha256),
        )
        .col_expr(signing_round::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(signing_round::Column::Id.eq(row.id))
        .filter(signing_round::Column::TenantId.eq(row.tenant_id))
        .filter(signing_round::Column::Revision.eq(row.revision))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Records which version holds the sealed rendering (set once, when everyone has signed).
pub async fn set_sealed_version<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    round_id: i64,
    version_id: i64,
) -> Result<()> {
    signing_round::Entity::update_many()
        .col_expr(
            signing_round::Column::SealedVersionId,
            Expr::value(version_id),
        )
        .filter(signing_round::Column::Id.eq(round_id))
        .filter(signing_round::Column::TenantId.eq(tenant_id))
        .filter(signing_round::Column::SealedVersionId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn get<C: ConnectionTrait>(db: &C, tenant_id: i64, id: i64) -> Result<Option<RoundRow>> {
    Ok(signing_round::Entity::find_by_id(id)
        .filter(signing_round::Column::TenantId.eq(tenant_id))
        .one(db)
        .await?)
}

/// A tenant's rounds, newest first.
pub async fn list<C: ConnectionTrait>(db: &C, tenant_id: i64) -> Result<Vec<RoundRow>> {
    Ok(signing_round::Entity::find()
        .filter(signing_round::Column::TenantId.eq(tenant_id))
        .order_by_desc(signing_round::Column::Id)
        .all(db)
        .await?)
}

/// The rounds on one version, newest first.
pub async fn for_version<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    version_id: i64,
) -> Result<Vec<RoundRow>> {
    Ok(signing_round::Entity::find()
        .filter(signing_round::Column::TenantId.eq(tenant_id))
        .filter(signing_round::Column::VersionId.eq(version_id))
        .order_by_desc(signing_round::Column::Id)
        .all(db)
        .await?)
}

/// Every pending round, across tenants: for the reminder and expiry job, and the seal sweeper.
pub async fn pending_all<C: ConnectionTrait>(db: &C) -> Result<Vec<RoundRow>> {
    Ok(signing_round::Entity::find()
        .filter(signing_round::Column::Status.eq("pending"))
        .order_by_asc(signing_round::Column::Id)
        .all(db)
        .await?)
}

/// The round a reference names, in any tenant (for public verification).
pub async fn by_reference<C: ConnectionTrait>(db: &C, reference: &str) -> Result<Option<RoundRow>> {
    Ok(signing_round::Entity::find()
        .filter(signing_round::Column::Reference.eq(reference))
        .one(db)
        .await?)
}

/// The sealed round whose final PDF has this SHA-256, in any tenant (for public verification).
pub async fn by_sealed_sha256<C: ConnectionTrait>(
    db: &C,
    sha256: &str,
) -> Result<Option<RoundRow>> {
    Ok(signing_round::Entity::find()
        .filter(signing_round::Column::SealedSha256.eq(sha256))
        .filter(signing_round::Column::Status.eq("sealed"))
        .one(db)
        .await?)
}

/// Indexes a link (its hash) to its round and signer.
pub async fn add_link<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    round_id: i64,
    signer: usize,
    token_hash_hex: &str,
) -> Result<()> {
    signing_link::ActiveModel {
        token_hash: Set(token_hash_hex.to_owned()),
        tenant_id: Set(tenant_id),
        round_id: Set(round_id),
        signer: Set(signer as i32),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The round a link's hash belongs to, in any tenant: the link is the signer's only credential.
pub async fn by_link<C: ConnectionTrait>(db: &C, token_hash_hex: &str) -> Result<Option<RoundRow>> {
    let Some(link) = signing_link::Entity::find_by_id(token_hash_hex.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(signing_round::Entity::find_by_id(link.round_id)
        .filter(signing_round::Column::TenantId.eq(link.tenant_id))
        .one(db)
        .await?)
}

/// One entry of a round's audit trail.
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub signer: Option<usize>,
    pub detail: serde_json::Value,
}

pub async fn record<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    round_id: i64,
    at: DateTime<Utc>,
    events: Vec<NewEvent<'_>>,
) -> Result<()> {
    for e in events {
        signing_event::ActiveModel {
            tenant_id: Set(tenant_id),
            round_id: Set(round_id),
            kind: Set(e.kind.to_owned()),
            signer: Set(e.signer.map(|s| s as i32)),
            detail: Set(e.detail.to_string()),
            at: Set(at),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A round's audit trail, oldest first.
pub async fn events<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    round_id: i64,
) -> Result<Vec<RoundEvent>> {
    Ok(signing_event::Entity::find()
        .filter(signing_event::Column::TenantId.eq(tenant_id))
        .filter(signing_event::Column::RoundId.eq(round_id))
        .order_by_asc(signing_event::Column::Id)
        .all(db)
        .await?)
}

pub struct NewDistribution<'a> {
    pub tenant_id: i64,
    pub version_id: i64,
    pub recipient: &'a str,
    pub recipient_name: Option<&'a str>,
    pub delivery: &'a str,
    pub link_hash: Option<&'a str>,
    pub link_expires_at: Option<DateTime<Utc>>,
    pub outbox_key: &'a str,
    pub requested_by: Option<i64>,
}

/// Records that a sealed version goes to a recipient; false when it already went (or is going) there.
pub async fn add_distribution<C: ConnectionTrait>(db: &C, d: NewDistribution<'_>) -> Result<bool> {
    let row = distribution::ActiveModel {
        tenant_id: Set(d.tenant_id),
        version_id: Set(d.version_id),
        recipient: Set(d.recipient.to_owned()),
        recipient_name: Set(d.recipient_name.map(str::to_owned)),
        delivery: Set(d.delivery.to_owned()),
        link_hash: Set(d.link_hash.map(str::to_owned)),
        link_expires_at: Set(d.link_expires_at),
        outbox_key: Set(d.outbox_key.to_owned()),
        requested_by: Set(d.requested_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let res = distribution::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                distribution::Column::VersionId,
                distribution::Column::Recipient,
            ])
            .do_nothing()
            .to_owned(),
        )
        .try_insert()
        .exec_without_returning(db)
        .await?;
    Ok(matches!(res, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}

/// Who a sealed version was sent to, in the order it was asked for.
pub async fn distributions<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    version_id: i64,
) -> Result<Vec<Distribution>> {
    Ok(distribution::Entity::find()
        .filter(distribution::Column::TenantId.eq(tenant_id))
        .filter(distribution::Column::VersionId.eq(version_id))
        .order_by_asc(distribution::Column::Id)
        .all(db)
        .await?)
}

/// The distribution a download link's hash belongs to, in any tenant (the link is the credential).
pub async fn distribution_by_link<C: ConnectionTrait>(
    db: &C,
    link_hash: &str,
) -> Result<Option<Distribution>> {
    Ok(distribution::Entity::find()
        .filter(distribution::Column::LinkHash.eq(link_hash))
        .one(db)
        .await?)
}

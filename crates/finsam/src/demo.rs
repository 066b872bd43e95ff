//! The demo: the three förbund in Jönköpings län with their real member organisations, and one
//! account per role. Loaded only into an empty database.

use anyhow::Context;
use finsam_core::{EmailAddress, MemberKind, OrgNr, Role, TenantSlug};
use finsam_db::repo::{accounts, insatser, members, memberships, tenants};

struct DemoTenant {
    slug: &'static str,
    name: &'static str,
    /// (key, name, organisationsnummer)
    kommuner: &'static [(&'static str, &'static str, &'static str)],
    /// (name, kind) of two insatser; the coach is attached to the first.
    insatser: [(&'static str, &'static str); 2],
}

const REGION: (&str, &str) = ("Region Jönköpings län", "232100-0057");
const FORSAKRINGSKASSAN: (&str, &str) = ("Försäkringskassan", "202100-5521");
const ARBETSFORMEDLINGEN: (&str, &str) = ("Arbetsförmedlingen", "202100-2114");

const TENANTS: [DemoTenant; 3] = [
    DemoTenant {
        slug: "sodra-vatterbygden",
        name: "Samordningsförbundet Södra Vätterbygden",
        kommuner: &[
            ("habo", "Habo kommun", "212000-0522"),
            ("jonkoping", "Jönköpings kommun", "212000-0530"),
            ("mullsjo", "Mullsjö kommun", "212000-0514"),
            ("vaggeryd", "Vaggeryds kommun", "212000-0506"),
        ],
        insatser: [
            ("Enter", "individinriktad"),
            ("Välfärdsguiden", "strukturovergripande"),
        ],
    },
    DemoTenant {
        slug: "hoglandet",
        name: "Höglandets samordningsförbund",
        kommuner: &[
            ("aneby", "Aneby kommun", "212000-0548"),
            ("eksjo", "Eksjö kommun", "212000-0621"),
            ("nassjo", "Nässjö kommun", "212000-0597"),
            ("savsjo", "Sävsjö kommun", "212000-0571"),
            ("tranas", "Tranås kommun", "212000-0605"),
            ("vetlanda", "Vetlanda kommun", "212000-0613"),
        ],
        insatser: [
            ("SE-Höglandet", "individinriktad"),
            ("Uppdrag Samverkan", "strukturovergripande"),
        ],
    },
    DemoTenant {
        slug: "finnveden",
        name: "Finnvedens samordningsförbund",
        kommuner: &[
            ("gislaved", "Gislaveds kommun", "212000-0589"),
            ("gnosjo", "Gnosjö kommun", "212000-0555"),
            ("varnamo", "Värnamo kommun", "212000-0563"),
        ],
        insatser: [
            ("NOVA", "individinriktad"),
            ("Inspirationsdagar", "strukturovergripande"),
        ],
    },
];

/// The demo accounts as (e-mail, description), for printing.
pub fn logins() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for t in &TENANTS {
        for (prefix, role) in [
            ("kansli", "kansli"),
            ("styrelse", "styrelse"),
            ("beredning", "beredningsgrupp"),
            ("coach", "coach"),
        ] {
            out.push((
                format!("{prefix}@{}.example", t.slug),
                format!("{role} i {}", t.name),
            ));
        }
    }
    out.push((
        "forbundschef@finsam.example".into(),
        "kansli i Södra Vätterbygden och Finnveden".into(),
    ));
    out.push((
        "admin@finsam.example".into(),
        "plattformsadministratör".into(),
    ));
    out
}

fn person_name(prefix: &str, tenant: &DemoTenant) -> String {
    let who = match prefix {
        "kansli" => "Kansliet",
        "styrelse" => "Styrelseledamot",
        "beredning" => "Beredningsgruppen",
        _ => "Coach",
    };
    format!("{who}, {}", tenant.name)
}

/// The year files built from the seed documents, compiled in so the demo needs no files beside the binary.
pub const FIXTURES: [(&str, &str, &str); 5] = [
    (
        "hoglandet",
        "hoglandet-2024.json",
        include_str!("../../../fixtures/hoglandet-2024.json"),
    ),
    (
        "sodra-vatterbygden",
        "sodra-vatterbygden-2024.json",
        include_str!("../../../fixtures/sodra-vatterbygden-2024.json"),
    ),
    // The medlemssamråd was joint for the three förbund.
    (
        "sodra-vatterbygden",
        "medlemssamrad-2024-02-23.json",
        include_str!("../../../fixtures/medlemssamrad-2024-02-23.json"),
    ),
    (
        "hoglandet",
        "medlemssamrad-2024-02-23.json",
        include_str!("../../../fixtures/medlemssamrad-2024-02-23.json"),
    ),
    (
        "finnveden",
        "medlemssamrad-2024-02-23.json",
        include_str!("../../../fixtures/medlemssamrad-2024-02-23.json"),
    ),
];

/// Loads the demo and the fixtures into an empty database (what `finsam demo` does).
pub async fn load_with_fixtures(db: &finsam_db::Db, password: &str) -> anyhow::Result<bool> {
    if !load(db, password).await? {
        return Ok(false);
    }
    for (slug, name, json) in FIXTURES {
        let file = finsam_core::yearfile::parse(json.as_bytes())
            .map_err(|p| anyhow::anyhow!("fixture {name} is invalid: {p:?}"))?;
        let tenant = tenants::by_slug(db.platform(), slug)
            .await?
            .context("demo tenant")?;
        import_year(db, tenant.id, &file)
            .await
            .with_context(|| format!("importing {name}"))?;
    }
    Ok(true)
}

/// Loads the demo (förbund, members, accounts) into an empty database. Answers false (and changes
/// nothing) when it holds tenants.
pub async fn load(db: &finsam_db::Db, password: &str) -> anyhow::Result<bool> {
    if !tenants::list(db.platform()).await?.is_empty() {
        return Ok(false);
    }
    let hash = tokio::task::spawn_blocking({
        let p = password.to_owned();
        move || finsam_web::auth::password::hash_blocking(&p)
    })
    .await??;
    // Three förbund made in one transaction: the platform's setup, across all of them.
    let txn = db.all_tenants().begin().await.context("begin")?;
    let mut by_slug = Vec::new();
    for t in &TENANTS {
        let tenant = tenants::create(&txn, &TenantSlug::parse(t.slug)?, t.name).await?;
        for (name, nr) in [FORSAKRINGSKASSAN, ARBETSFORMEDLINGEN] {
            let kind = if name == FORSAKRINGSKASSAN.0 {
                MemberKind::Forsakringskassan
            } else {
                MemberKind::Arbetsformedlingen
            };
            members::create(
                &txn,
                tenant.id,
                &finsam_core::slug::key(name),
                name,
                kind,
                &OrgNr::parse(nr)?,
            )
            .await?;
        }
        members::create(
            &txn,
            tenant.id,
            "region",
            REGION.0,
            MemberKind::Region,
            &OrgNr::parse(REGION.1)?,
        )
        .await?;
        for (key, name, nr) in t.kommuner {
            members::create(
                &txn,
                tenant.id,
                key,
                name,
                MemberKind::Kommun,
                &OrgNr::parse(nr)?,
            )
            .await?;
        }
        let mut insats_ids = Vec::new();
        for (name, kind) in t.insatser {
            insats_ids.push(
                insatser::create(&txn, tenant.id, &finsam_core::slug::key(name), name, kind)
                    .await?
                    .id,
            );
        }
        for (prefix, role) in [
            ("kansli", Role::Kansli),
            ("styrelse", Role::Styrelse),
            ("beredning", Role::Beredningsgrupp),
            ("coach", Role::Coach),
        ] {
            let email = EmailAddress::parse(&format!("{prefix}@{}.example", t.slug))?;
            let a = accounts::create(
                &txn,
                &email,
                &person_name(prefix, t),
                Some(hash.clone()),
                false,
            )
            .await?;
            memberships::grant(&txn, tenant.id, a.id, role).await?;
            if role == Role::Coach {
                insatser::attach_coach(&txn, tenant.id, insats_ids[0], a.id).await?;
            }
        }
        by_slug.push((t.slug, tenant.id));
    }
    let chef = accounts::create(
        &txn,
        &EmailAddress::parse("forbundschef@finsam.example")?,
        "Förbundschefen",
        Some(hash.clone()),
        false,
    )
    .await?;
    for (slug, id) in &by_slug {
        if *slug == "sodra-vatterbygden" || *slug == "finnveden" {
            memberships::grant(&txn, *id, chef.id, Role::Kansli).await?;
        }
    }
    accounts::create(
        &txn,
        &EmailAddress::parse("admin@finsam.example")?,
        "Plattformsadministratören",
        Some(hash),
        true,
    )
    .await?;
    txn.commit().await.context("commit")?;
    Ok(true)
}

/// Imports a year file in one transaction, with an audit row (no actor: the command line).
pub async fn import_year(
    db: &finsam_db::Db,
    tenant_id: i64,
    file: &finsam_core::yearfile::YearFile,
) -> anyhow::Result<finsam_db::repo::yearfile::ImportSummary> {
    let txn = db.tenant(tenant_id).begin().await.context("begin")?;
    let summary = finsam_db::repo::yearfile::import(&txn, tenant_id, file).await?;
    finsam_db::repo::audit::record(
        &txn,
        finsam_db::repo::audit::NewEvent {
            tenant_id: Some(tenant_id),
            actor_account_id: None,
            action: finsam_db::repo::audit::action::YEAR_IMPORTED,
            detail: serde_json::json!({ "year": file.year, "via": "finsam import" }),
            client_addr: None,
        },
    )
    .await?;
    txn.commit().await.context("commit")?;
    Ok(summary)
}

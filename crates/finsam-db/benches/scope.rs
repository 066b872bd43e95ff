//! What the row-level security scope costs on PostgreSQL: one small query (a förbund's members) on
//! - the pool as it is, no scope (what the application did before scopes),
//! - a tenant scope, where each statement is its own transaction that sets the tenant first,
//! - one transaction of the tenant scope holding many statements (how handlers that write run).
//!
//! The application's role is an ordinary one, so the policy is evaluated as in production.
//!
//!   FINSAM_BENCH_POSTGRES_URL=postgres://app@127.0.0.1:55432/postgres cargo bench -p finsam-db --bench scope
//!
//! The URL's role must be allowed to create a database and a role (the test server's superuser is).
//! `FINSAM_BENCH_RUNS` (default 2000) queries per series. Results in docs/performance.md.

use finsam_db::repo::{members, tenants};
use finsam_db::{ConnectionTrait, Db};
use std::time::{Duration, Instant};

const ROLE: &str = "finsam_bench_app";

#[tokio::main]
async fn main() {
    let Ok(admin_url) = std::env::var("FINSAM_BENCH_POSTGRES_URL") else {
        eprintln!("set FINSAM_BENCH_POSTGRES_URL to a PostgreSQL server (see the file's header)");
        std::process::exit(2);
    };
    let runs: usize = std::env::var("FINSAM_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);

    // A fresh database, migrated by its owner; the application's role granted as `finsam migrate` does.
    let name = format!("finsam_bench_{}", std::process::id());
    let admin = finsam_db::connect(&admin_url).await.expect("the server");
    admin
        .execute_unprepared(&format!(
            "DO $$ BEGIN CREATE ROLE {ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        ))
        .await
        .expect("the application's role");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("a database");
    let mut owner_url = url::Url::parse(&admin_url).expect("a URL");
    owner_url.set_path(&format!("/{name}"));
    let mut app_url = owner_url.clone();
    app_url.set_username(ROLE).expect("a user name");
    app_url.set_password(None).expect("no password");
    let owner = finsam_db::connect(owner_url.as_str()).await.expect("owner");
    finsam_db::migrate(&owner).await.expect("migrations");
    finsam_db::grant_to(&owner, ROLE).await.expect("grants");
    let db = Db::new(finsam_db::connect(app_url.as_str()).await.expect("app"));

    // Three förbund with 30 members each.
    let mut ids = Vec::new();
    for slug in ["a", "b", "c"] {
        let t = tenants::create(
            db.platform(),
            &finsam_core::TenantSlug::parse(&format!("forbund-{slug}")).unwrap(),
            slug,
        )
        .await
        .unwrap();
        let scope = db.tenant(t.id);
        for i in 0..30 {
            members::create(
                &scope,
                t.id,
                &format!("m{i}"),
                &format!("Medlem {i}"),
                finsam_core::MemberKind::Kommun,
                &orgnr(i),
            )
            .await
            .unwrap();
        }
        ids.push(t.id);
    }
    let t = ids[1];

    // Warm the pool and the plans.
    for _ in 0..100 {
        members::list(&db.tenant(t), t).await.unwrap();
    }
    let mut rows = Vec::new();
    let unscoped = time(runs, || async {
        // As the owner would see it without row-level security: the raw pool (only the filter).
        members::list(&owner, t).await.unwrap();
    })
    .await;
    rows.push(("no scope (the owner's pool, the filter only)", unscoped));
    let scoped = time(runs, || async {
        assert_eq!(members::list(&db.tenant(t), t).await.unwrap().len(), 30);
    })
    .await;
    rows.push(("tenant scope, a transaction per statement", scoped));
    let txn = db.tenant(t).begin().await.unwrap();
    let in_txn = time(runs, || async {
        members::list(&txn, t).await.unwrap();
    })
    .await;
    txn.commit().await.unwrap();
    rows.push(("tenant scope, inside one transaction", in_txn));

    println!("{runs} queries per series (a förbund's 30 members), per query:");
    println!("| series | median | p95 |");
    println!("| --- | ---: | ---: |");
    for (name, mut d) in rows {
        d.sort();
        let at = |q: f64| d[((d.len() as f64 - 1.0) * q) as usize];
        println!(
            "| {name} | {:.3} ms | {:.3} ms |",
            ms(at(0.5)),
            ms(at(0.95))
        );
    }

    db.close().await.unwrap();
    owner.close().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE {name}"))
        .await
        .unwrap();
}

async fn time<F, Fut>(runs: usize, f: F) -> Vec<Duration>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        out.push(start.elapsed());
    }
    out
}

/// A valid organisationsnummer (Luhn check digit), a different one for each `i`.
fn orgnr(i: u32) -> finsam_core::OrgNr {
    let base = format!("21200{i:04}");
    let sum: u32 = base
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .enumerate()
        .map(|(k, d)| {
            let d = if k % 2 == 0 { d * 2 } else { d };
            d / 10 + d % 10
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    finsam_core::OrgNr::parse(&format!("{}-{}{check}", &base[..6], &base[6..])).unwrap()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

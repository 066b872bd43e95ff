//! Row-level security on PostgreSQL, the backstop behind the application's tenant filters
//! (migration 000009, `finsam_db::Scoped`). The application's test role owns nothing and bypasses
//! nothing (`finsam_testkit::APP_ROLE`); the tables' owner is the superuser of the test server.
//!
//! - Every table with a `tenant_id` has ENABLE and FORCE and the policy (a dropped policy or a
//!   disabled table fails here, and the test shows that it does).
//! - Without a förbund set, a query sees none of their rows; in one förbund's scope it sees all of
//!   that förbund's rows and no other's, and cannot write another's.
//! - A pooled connection does not keep the previous transaction's förbund.
//! - A query with the wrong förbund's scope finds nothing even without the application's filter.
//! - The application refuses to run as a role that row-level security does not bind.
//!
//! Only meaningful on PostgreSQL: without `FINSAM_TEST_POSTGRES_URL` these tests fail;
//! `scripts/test` leaves them out of the SQLite run.

use finsam_db::entities::member;
use finsam_db::repo::{members, tenants};
use finsam_db::{Db, TENANT_TABLES};
use finsam_testkit::{TestApp, spawn_app};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait,
    Statement,
};
use std::collections::BTreeMap;

/// Tables with a `tenant_id` that are not under row-level security, and why: see migration 000009.
const NOT_TENANT_OWNED: [&str; 1] = ["one_time_tokens"];

fn require_postgres() {
    assert!(
        finsam_testkit::backend() == "postgres",
        "rls:: needs PostgreSQL: set FINSAM_TEST_POSTGRES_URL to a server where it may create \
         databases and roles (scripts/test starts one and sets it; it leaves these tests out of the \
         SQLite run)"
    );
}

/// The demo, the fixtures' year files, and reports, meetings, budgets, documents, signing rounds and
/// surveys in two förbund (the isolation tests' fixture): rows of several förbund in most tables.
async fn populated() -> TestApp {
    require_postgres();
    let app = spawn_app().await;
    app.import_fixture("hoglandet", "hoglandet-2024.json").await;
    app.import_fixture("sodra-vatterbygden", "sodra-vatterbygden-2024.json")
        .await;
    crate::isolation::fixture(&app).await;
    app
}

async fn tenant_id(app: &TestApp, slug: &str) -> i64 {
    tenants::by_slug(app.db.platform(), slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn owner(app: &TestApp) -> DatabaseConnection {
    Database::connect(app.cfg.database_owner_url.clone().expect("an owner URL"))
        .await
        .unwrap()
}

async fn scalar_i64(db: &impl ConnectionTrait, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

/// Rows per förbund in each tenant-owned table, as `db` sees them.
async fn rows_by_tenant(db: &impl ConnectionTrait) -> BTreeMap<&'static str, BTreeMap<i64, i64>> {
    let mut out = BTreeMap::new();
    for table in TENANT_TABLES {
        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT coalesce(tenant_id, 0), count(*) FROM {table} GROUP BY 1 ORDER BY 1"
                ),
            ))
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        out.insert(
            table,
            rows.iter()
                .map(|r| {
                    (
                        r.try_get_by_index::<i64>(0).unwrap(),
                        r.try_get_by_index::<i64>(1).unwrap(),
                    )
                })
                .collect(),
        );
    }
    out
}

/// What is wrong with the policies, table by table; empty when every tenant-owned table is covered.
async fn policy_problems(owner: &DatabaseConnection) -> Vec<String> {
    let mut problems = Vec::new();
    // Every table with a tenant_id is under the policy or named as an exception.
    let with_tenant = owner
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT table_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1",
        ))
        .await
        .unwrap();
    for r in with_tenant {
        let t: String = r.try_get_by_index(0).unwrap();
        if !TENANT_TABLES.contains(&t.as_str()) && !NOT_TENANT_OWNED.contains(&t.as_str()) {
            problems.push(format!("{t} has a tenant_id but no row-level security"));
        }
    }
    for table in TENANT_TABLES {
        let row = owner
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT c.relrowsecurity, c.relforcerowsecurity,
                            (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname
                               AND p.policyname = 'tenant_isolation' AND p.cmd = 'ALL'
                               AND p.qual LIKE '%app.tenant_id%' AND p.with_check LIKE '%app.tenant_id%')
                     FROM pg_class c WHERE c.oid = '{table}'::regclass"
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        let (enabled, forced, policies): (bool, bool, i64) = (
            row.try_get_by_index(0).unwrap(),
            row.try_get_by_index(1).unwrap(),
            row.try_get_by_index(2).unwrap(),
        );
        if !enabled {
            problems.push(format!("{table}: row-level security is not enabled"));
        }
        if !forced {
            problems.push(format!("{table}: row-level security is not forced"));
        }
        if policies != 1 {
            problems.push(format!("{table}: the tenant_isolation policy is missing"));
        }
    }
    problems
}

/// What a query without a förbund sees that it should not, table by table.
async fn visible_without_a_tenant(app: &TestApp) -> Vec<String> {
    rows_by_tenant(app.db.platform())
        .await
        .into_iter()
        .filter(|(_, seen)| !seen.is_empty())
        .map(|(t, seen)| format!("{t}: {seen:?}"))
        .collect()
}

#[tokio::test]
async fn every_tenant_owned_table_has_forced_row_level_security_and_a_dropped_policy_is_caught() {
    let app = populated().await;
    let owner = owner(&app).await;
    assert_eq!(policy_problems(&owner).await, Vec::<String>::new());
    assert_eq!(visible_without_a_tenant(&app).await, Vec::<String>::new());

    // The checks can fail: drop one policy and disable another table's security, as a careless
    // migration might.
    owner
        .execute_unprepared(
            "DROP POLICY tenant_isolation ON members; ALTER TABLE meetings NO FORCE ROW LEVEL SECURITY",
        )
        .await
        .unwrap();
    let problems = policy_problems(&owner).await;
    assert!(
        problems.contains(&"members: the tenant_isolation policy is missing".to_owned())
            && problems.contains(&"meetings: row-level security is not forced".to_owned()),
        "{problems:?}"
    );
    owner
        .execute_unprepared("ALTER TABLE members DISABLE ROW LEVEL SECURITY")
        .await
        .unwrap();
    let leaks = visible_without_a_tenant(&app).await;
    assert!(
        leaks.iter().any(|l| l.starts_with("members:")),
        "with the policy gone, the members are visible without a förbund: {leaks:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn without_a_tenant_nothing_is_visible_and_in_a_tenant_only_its_own_rows() {
    let app = populated().await;
    let owner = owner(&app).await;
    let truth = rows_by_tenant(&owner).await;
    // The fixture put rows of several förbund in these tables; the check below is not vacuous.
    for table in [
        "audit_events",
        "coach_reports",
        "documents",
        "document_versions",
        "insatser",
        "insats_coaches",
        "meetings",
        "members",
        "memberships",
        "people",
        "signing_rounds",
        "survey_definitions",
        "year_data",
    ] {
        assert!(
            truth[table].keys().filter(|t| **t != 0).count() >= 2,
            "{table} holds rows of two förbund: {:?}",
            truth[table]
        );
    }

    // No förbund set: nothing.
    assert_eq!(visible_without_a_tenant(&app).await, Vec::<String>::new());

    // One förbund: all of its rows and nobody else's, in every table.
    for t in tenants::list(app.db.platform()).await.unwrap() {
        let seen = rows_by_tenant(&app.db.tenant(t.id)).await;
        for (table, by_tenant) in &seen {
            let want: BTreeMap<i64, i64> = truth[table]
                .iter()
                .filter(|(k, _)| **k == t.id)
                .map(|(k, v)| (*k, *v))
                .collect();
            assert_eq!(by_tenant, &want, "{table} in {}", t.slug);
        }
    }
    // Across all förbund (the deliberate cross-tenant path): everything.
    assert_eq!(rows_by_tenant(&app.db.all_tenants()).await, truth);
    app.stop().await;
}

#[tokio::test]
async fn a_tenant_cannot_write_another_tenants_rows() {
    let app = populated().await;
    let a = tenant_id(&app, "hoglandet").await;
    let b = tenant_id(&app, "finnveden").await;
    let in_b = app.db.tenant(b);
    let before = members::list(&app.db.tenant(a), a).await.unwrap();
    assert!(!before.is_empty());

    // Insert a row of A while in B: refused by WITH CHECK.
    let err = in_b
        .execute_unprepared(&format!(
            "INSERT INTO members (tenant_id, name, kind, orgnr, created_at)
             VALUES ({a}, 'Inkräktare', 'kommun', '212000-0000', now())"
        ))
        .await
        .expect_err("an insert into another förbund is refused");
    assert!(err.to_string().contains("row-level security"), "{err}");
    // Update or delete A's rows while in B: nothing is touched.
    let updated = in_b
        .execute_unprepared(&format!(
            "UPDATE members SET name = 'Ändrad' WHERE tenant_id = {a}"
        ))
        .await
        .unwrap();
    assert_eq!(updated.rows_affected(), 0);
    let deleted = in_b
        .execute_unprepared(&format!("DELETE FROM members WHERE tenant_id = {a}"))
        .await
        .unwrap();
    assert_eq!(deleted.rows_affected(), 0);
    // Move one of B's own rows to A: refused too.
    let err = in_b
        .execute_unprepared(&format!(
            "UPDATE members SET tenant_id = {a} WHERE tenant_id = {b}"
        ))
        .await
        .expect_err("moving a row to another förbund is refused");
    assert!(err.to_string().contains("row-level security"), "{err}");
    assert_eq!(members::list(&app.db.tenant(a), a).await.unwrap(), before);
    app.stop().await;
}

#[tokio::test]
async fn a_query_in_the_wrong_tenant_finds_nothing_even_without_the_application_filter() {
    let app = populated().await;
    let a = tenant_id(&app, "hoglandet").await;
    let b = tenant_id(&app, "finnveden").await;
    let a_member = members::list(&app.db.tenant(a), a).await.unwrap()[0].clone();
    // The query with no tenant filter at all, as if the application had forgotten it: in A's scope it
    // finds the row, in B's it does not.
    let unfiltered = || member::Entity::find_by_id(a_member.id);
    assert_eq!(
        unfiltered().one(&app.db.tenant(a)).await.unwrap(),
        Some(a_member.clone())
    );
    assert_eq!(unfiltered().one(&app.db.tenant(b)).await.unwrap(), None);
    assert_eq!(unfiltered().one(app.db.platform()).await.unwrap(), None);
    // The repository asked for A's row with A's id but in B's scope (a mix-up in a caller): nothing.
    assert_eq!(
        members::get(&app.db.tenant(b), a, a_member.id)
            .await
            .unwrap(),
        None
    );
    // Inside a longer transaction the scope holds for every statement.
    let txn = app.db.tenant(b).begin().await.unwrap();
    assert_eq!(unfiltered().one(&txn).await.unwrap(), None);
    assert_eq!(
        scalar_i64(
            &txn,
            &format!("SELECT count(*) FROM members WHERE tenant_id = {a}")
        )
        .await,
        0
    );
    txn.commit().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_pooled_connection_does_not_keep_the_previous_tenant() {
    let app = populated().await;
    let a = tenant_id(&app, "hoglandet").await;
    // A pool of one connection: every query below runs on the same server process.
    let mut opts = ConnectOptions::new(app.cfg.database_url.clone());
    opts.max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let db = Db::new(Database::connect(opts).await.unwrap());
    let pid = "SELECT pg_backend_pid()::bigint";
    let first = scalar_i64(&db.tenant(a), pid).await;
    let in_a = scalar_i64(&db.tenant(a), "SELECT count(*) FROM members").await;
    assert!(in_a > 0);
    // A transaction in A, ended; and one in A that failed and rolled back.
    let txn = db.tenant(a).begin().await.unwrap();
    assert_eq!(scalar_i64(&txn, "SELECT count(*) FROM members").await, in_a);
    txn.commit().await.unwrap();
    let txn = db.tenant(a).begin().await.unwrap();
    assert!(
        txn.execute_unprepared("SELECT no_such_column FROM members")
            .await
            .is_err()
    );
    txn.rollback().await.unwrap();
    // The next use of the same connection, without a tenant: nothing, and no tenant in the settings.
    assert_eq!(
        scalar_i64(db.platform(), pid).await,
        first,
        "the same connection"
    );
    assert_eq!(
        scalar_i64(db.platform(), "SELECT count(*) FROM members").await,
        0
    );
    let setting = db
        .platform()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT coalesce(current_setting('app.tenant_id', true), '') AS t,
                    coalesce(current_setting('app.all_tenants', true), '') AS a",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(setting.try_get::<String>("", "t").unwrap(), "");
    assert_eq!(setting.try_get::<String>("", "a").unwrap(), "");
    app.stop().await;
}

#[tokio::test]
async fn the_application_refuses_a_role_that_row_level_security_does_not_bind() {
    require_postgres();
    let app = spawn_app().await;
    let mut cfg = app.cfg.clone();
    // The owner of the test database is the test server's superuser.
    cfg.database_url = cfg.database_owner_url.clone().unwrap();
    cfg.database_owner_url = None;
    let err = finsam::app::open_database(&cfg)
        .await
        .expect_err("a superuser is refused")
        .to_string();
    assert!(
        err.contains("superuser or a role with BYPASSRLS")
            && err.contains("FINSAM_DATABASE_OWNER_URL"),
        "{err}"
    );
    // The application's own role is ordinary.
    let check = finsam_db::check_role(app.db.connection())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(check.role, finsam_testkit::APP_ROLE);
    assert!(!check.bypasses_rls && !check.owns_tables, "{check:?}");
    app.stop().await;
}

//! The yearly cycle (årshjul): on dates each förbund's kansli chooses, the documents of the year are
//! asked for by themselves. See docs/schedule.md.
//!
//! Three parts:
//! - the rules, without a clock or a database: which (kind, year) is due at a given moment ([`due`]),
//!   the default dates, date checks, deadlines;
//! - [`execute`]: one run, inside the caller's transaction: claim the (tenant, kind, year) row, check the
//!   year's data, queue the document version or record what is missing, queue the notices;
//! - [`Scheduler`]: the tick over every förbund ([`Scheduler::tick`], given the time), driven by an
//!   apalis-cron worker every five minutes and once at start ([`Scheduler::run`]).
//!
//! A run happens once per (tenant, kind, year): the row in `schedule_runs` is the claim, inserted first in
//! the run's transaction, and its unique key lets one inserter win however many processes tick at once.

use crate::render::{RenderJob, RenderQueue};
use anyhow::Context;
use apalis::prelude::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use finsam_core::finance::checks::{checks, delar_checks, failing_messages};
pub use finsam_core::time::stockholm_date;
use finsam_db::repo::schedule::{self as repo, Claim, EntryValues, Run, outcome, trigger};
use finsam_db::repo::{documents, memberships, outbox, tenants, yearfile};
use finsam_db::{ConnectionTrait, Db};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The apalis worker's name: explicit, never derived from a type path.
pub const SCHEDULE_WORKER: &str = "finsam-schedule";
/// When the tick runs: every five minutes, at second 0 (the `cron` crate's six fields).
pub const TICK_CRON: &str = "0 */5 * * * *";
/// A run missed while the server was down happens when it comes back, if its date is at most this many
/// days ago; older ones belong to a cycle that is over.
pub const CATCH_UP_DAYS: i64 = 60;
/// The reason stamped on the verksamhetsplan the schedule makes: it is the draft the styrelse decides on.
pub const VERKSAMHETSPLAN_DRAFT: &str = "Förslag till styrelsen";

/// The documents the schedule asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleKind {
    Arsredovisning,
    Delarsrapport,
    Verksamhetsplan,
}

impl ScheduleKind {
    pub const ALL: [ScheduleKind; 3] = [
        Self::Arsredovisning,
        Self::Delarsrapport,
        Self::Verksamhetsplan,
    ];

    pub fn as_str(self) -> &'static str {
        self.document().as_str()
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The document kind it renders.
    pub fn document(self) -> finsam_documents::Kind {
        match self {
            Self::Arsredovisning => finsam_documents::Kind::Arsredovisning,
            Self::Delarsrapport => finsam_documents::Kind::Delarsrapport,
            Self::Verksamhetsplan => finsam_documents::Kind::Verksamhetsplan,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Arsredovisning => "Årsredovisning",
            Self::Delarsrapport => "Delårsrapport",
            Self::Verksamhetsplan => "Verksamhetsplan med budget",
        }
    }

    /// "årsredovisningen", for sentences.
    fn definite(self) -> &'static str {
        match self {
            Self::Arsredovisning => "årsredovisningen",
            Self::Delarsrapport => "delårsrapporten",
            Self::Verksamhetsplan => "verksamhetsplanen",
        }
    }

    /// What the deadline is for.
    pub fn deadline_label(self) -> &'static str {
        match self {
            Self::Arsredovisning => "Underskrift senast",
            Self::Delarsrapport | Self::Verksamhetsplan => "Styrelsens beslut senast",
        }
    }

    /// The document's year for a run in calendar year `y`: the årsredovisning is last year's, the
    /// delårsrapport this year's, the verksamhetsplan next year's.
    pub fn document_year(self, y: i32) -> i32 {
        y + self.offset()
    }

    /// The calendar year whose run makes the document of `year`.
    pub fn run_year(self, year: i32) -> i32 {
        year - self.offset()
    }

    fn offset(self) -> i32 {
        match self {
            Self::Arsredovisning => -1,
            Self::Delarsrapport => 0,
            Self::Verksamhetsplan => 1,
        }
    }
}

/// One entry of a förbund's schedule: the day of the year it runs, whether it runs, and the deadline it
/// announces (signing, or the styrelse's decision): the first such day on or after the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntrySpec {
    pub kind: ScheduleKind,
    pub month: u32,
    pub day: u32,
    pub enabled: bool,
    pub due: Option<(u32, u32)>,
}

/// 1 February (signing by 31 March), 1 August, 1 October (the styrelse decides by 30 November).
pub fn defaults() -> [EntrySpec; 3] {
    [
        EntrySpec {
            kind: ScheduleKind::Arsredovisning,
            month: 2,
            day: 1,
            enabled: true,
            due: Some((3, 31)),
        },
        EntrySpec {
            kind: ScheduleKind::Delarsrapport,
            month: 8,
            day: 1,
            enabled: true,
            due: None,
        },
        EntrySpec {
            kind: ScheduleKind::Verksamhetsplan,
            month: 10,
            day: 1,
            enabled: true,
            due: Some((11, 30)),
        },
    ]
}

impl EntrySpec {
    /// The run's date in calendar year `y` (checked dates always exist: see [`check_date`]).
    pub fn occurrence(&self, y: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, self.month, self.day)
    }

    /// The deadline announced by a run on `on`: the first (due month, due day) on or after it.
    pub fn deadline(&self, on: NaiveDate) -> Option<NaiveDate> {
        let (m, d) = self.due?;
        let this = NaiveDate::from_ymd_opt(on.year(), m, d)?;
        if this >= on {
            Some(this)
        } else {
            NaiveDate::from_ymd_opt(on.year() + 1, m, d)
        }
    }

    /// The run's date and deadline in the cycle that makes the document of `year`.
    pub fn cycle(&self, year: i32) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let on = self.occurrence(self.kind.run_year(year));
        (on, on.and_then(|d| self.deadline(d)))
    }

    pub fn values(&self) -> EntryValues<'static> {
        EntryValues {
            kind: self.kind.as_str(),
            month: self.month as i32,
            day: self.day as i32,
            enabled: self.enabled,
            due: self.due.map(|(m, d)| (m as i32, d as i32)),
        }
    }

    pub fn from_row(e: &repo::Entry) -> Option<Self> {
        let due = match (e.due_month, e.due_day) {
            (Some(m), Some(d)) => Some((u32::try_from(m).ok()?, u32::try_from(d).ok()?)),
            _ => None,
        };
        Some(Self {
            kind: ScheduleKind::parse(&e.kind)?,
            month: u32::try_from(e.month).ok()?,
            day: u32::try_from(e.day).ok()?,
            enabled: e.enabled,
            due,
        })
    }
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// The Swedish name of month 1–12.
pub fn month_name(m: u32) -> &'static str {
    MONTHS
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("")
}

/// "1 februari".
pub fn day_month(month: u32, day: u32) -> String {
    format!("{day} {}", month_name(month))
}

/// "31 mars 2025".
pub fn long_date(d: NaiveDate) -> String {
    format!("{} {}", day_month(d.month(), d.day()), d.year())
}

/// Checks that (month, day) is a day every year has. 29 February is refused: it exists only in leap
/// years, and a run on it would be skipped three years in four.
pub fn check_date(month: u32, day: u32) -> Result<(), String> {
    if !(1..=12).contains(&month) {
        return Err("Välj en månad mellan januari och december.".into());
    }
    let days = match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 29 && month == 2 {
        return Err("29 februari finns bara vissa år. Välj 28 februari eller 1 mars.".into());
    }
    if !(1..=days).contains(&day) {
        return Err(format!(
            "{} {} finns inte: {} har {days} dagar. Ange en dag mellan 1 och {days}.",
            day,
            month_name(month),
            month_name(month)
        ));
    }
    Ok(())
}

/// The year "Kör nu" offers first: last year's årsredovisning, this year's delårsrapport, next year's
/// verksamhetsplan.
pub fn natural_year(kind: ScheduleKind, today: NaiveDate) -> i32 {
    kind.document_year(today.year())
}

/// A run the schedule should make now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueRun {
    pub kind: ScheduleKind,
    /// The document's year.
    pub year: i32,
    /// The date it was due to run.
    pub on: NaiveDate,
    /// The deadline it announces.
    pub due_on: Option<NaiveDate>,
}

/// Which runs are due at `now` (evaluated in Europe/Stockholm), given the entries, the (kind, year) of the
/// runs already made, and the day the förbund was created.
///
/// For each enabled entry only the current cycle counts: its latest date on or before today. It is due
/// when it has no run yet, its date is at most [`CATCH_UP_DAYS`] ago (so a run missed while the server
/// was down happens once when it comes back, but a cycle that is over is not made up), and the förbund
/// existed on that date (a förbund created in November gets nothing for the past October).
pub fn due(
    entries: &[EntrySpec],
    done: &[(ScheduleKind, i32)],
    since: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<DueRun> {
    let today = stockholm_date(now);
    let mut out = Vec::new();
    for e in entries.iter().filter(|e| e.enabled) {
        let Some(on) = [today.year(), today.year() - 1]
            .into_iter()
            .filter_map(|y| e.occurrence(y))
            .find(|d| *d <= today)
        else {
            continue;
        };
        if (today - on).num_days() > CATCH_UP_DAYS || on < since {
            continue;
        }
        let year = e.kind.document_year(on.year());
        if done.contains(&(e.kind, year)) {
            continue;
        }
        out.push(DueRun {
            kind: e.kind,
            year,
            on,
            due_on: e.deadline(on),
        });
    }
    out
}

/// The next date the entry will run: its first date from today on whose document has no run yet.
pub fn next_run(
    e: &EntrySpec,
    done: &[(ScheduleKind, i32)],
    today: NaiveDate,
) -> Option<NaiveDate> {
    if !e.enabled {
        return None;
    }
    (today.year()..=today.year() + 2)
        .filter_map(|y| e.occurrence(y))
        .find(|d| *d >= today && !done.contains(&(e.kind, e.kind.document_year(d.year()))))
}

/// The förbund's entries as specs, with the default rows made on first read (for the page and the API,
/// where the kansli edits them).
pub async fn entries<C: ConnectionTrait>(db: &C, tenant_id: i64) -> anyhow::Result<Vec<EntrySpec>> {
    let defaults = defaults().map(|d| d.values());
    let rows = repo::ensure_entries(db, tenant_id, &defaults).await?;
    Ok(with_defaults(&rows))
}

/// The stored entries, and the default of any kind that has no row yet, in kind order. The tick reads
/// them this way, so a tick that finds nothing due writes nothing.
pub fn with_defaults(rows: &[repo::Entry]) -> Vec<EntrySpec> {
    let stored: Vec<EntrySpec> = rows.iter().filter_map(EntrySpec::from_row).collect();
    let mut out: Vec<EntrySpec> = defaults()
        .into_iter()
        .map(|d| {
            stored
                .iter()
                .find(|s| s.kind == d.kind)
                .copied()
                .unwrap_or(d)
        })
        .collect();
    out.sort_by_key(|e| e.kind);
    out
}

/// One run asked for: by the schedule, or by the kansli ("Kör nu").
#[derive(Debug, Clone, Copy)]
pub struct RunRequest {
    pub kind: ScheduleKind,
    pub year: i32,
    /// [`trigger::SCHEDULE`] or [`trigger::MANUAL`].
    pub trigger: &'static str,
    pub requested_by: Option<i64>,
    pub due_on: Option<NaiveDate>,
}

/// What [`execute`] did.
#[derive(Debug, Clone)]
pub enum Execution {
    /// This caller made the run: its row, and the version to push to the render queue.
    Ran {
        run: Run,
        render: Option<RenderJob>,
        notices: usize,
    },
    /// The (kind, year) had run already (another process, or an earlier "Kör nu").
    AlreadyRan(Run),
}

/// Makes one run inside `db` (a transaction the caller commits): claims the (tenant, kind, year) row
/// first, then checks the year's data and queues the version, or records what is missing. A scheduled
/// run tells the kansli by e-mail (through the outbox, in the same transaction); a manual run answers
/// the one who asked. A manual run may repeat a run that made no version; nothing repeats one that did.
pub async fn execute<C: ConnectionTrait>(
    db: &C,
    tenant: &tenants::Tenant,
    r: &RunRequest,
    base_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Execution> {
    let claim = Claim {
        kind: r.kind.as_str(),
        year: r.year,
        trigger: r.trigger,
        requested_by: r.requested_by,
        due_on: r.due_on,
    };
    let mut held = repo::claim(db, tenant.id, &claim, now).await?;
    if held.is_none() && r.trigger == trigger::MANUAL {
        held = repo::reclaim(db, tenant.id, &claim, now).await?;
    }
    let Some(run) = held else {
        let existing = repo::run_for(db, tenant.id, claim.kind, r.year)
            .await?
            .context("the run that holds the claim is gone")?;
        return Ok(Execution::AlreadyRan(existing));
    };

    let year = r.year;
    let file = yearfile::export(db, tenant.id, year)
        .await
        .context("reading the year")?;
    let what = r.kind.definite();
    let deadline = r
        .due_on
        .map(|d| format!(" {} {}.", r.kind.deadline_label(), long_date(d)))
        .unwrap_or_default();

    let (outcome, detail, missing, notes): (&str, String, Vec<String>, Vec<String>) = match r.kind {
        ScheduleKind::Delarsrapport if !file.settings.delarsrapport_required => (
            outcome::SKIPPED_NOT_REQUIRED,
            format!("Förbundet gör ingen delårsrapport för {year} enligt årets inställningar."),
            vec![],
            vec![],
        ),
        ScheduleKind::Arsredovisning | ScheduleKind::Delarsrapport => {
            // What the year lacks, in the renderer's own words.
            let missing = failing_messages(if r.kind == ScheduleKind::Arsredovisning {
                checks(&file)
            } else {
                delar_checks(&file)
            });
            if missing.is_empty() {
                (
                    outcome::RENDERED,
                    format!("{} för {year} är beställd.{deadline}", capitalised(what)),
                    vec![],
                    vec![],
                )
            } else {
                (
                    outcome::MISSING_DATA,
                    format!(
                        "{} för {year} skapades inte: uppgifterna är inte kompletta. {}",
                        capitalised(what),
                        missing.join(" ")
                    ),
                    missing,
                    vec![],
                )
            }
        }
        ScheduleKind::Verksamhetsplan => {
            let mut notes = Vec::new();
            if file.budget.is_none() {
                notes.push(format!("Budgeten för {year} är inte inlagd ännu."));
            }
            (
                outcome::RENDERED,
                format!(
                    "Ett förslag till verksamhetsplan med budget för {year} är beställt som utkast ({VERKSAMHETSPLAN_DRAFT}).{deadline}{}",
                    notes.iter().map(|n| format!(" {n}")).collect::<String>()
                ),
                vec![],
                notes,
            )
        }
    };

    let mut version = None;
    if outcome == outcome::RENDERED {
        let kind = r.kind.document();
        let doc = documents::ensure(
            db,
            tenant.id,
            kind.as_str(),
            &year.to_string(),
            Some(year),
            None,
        )
        .await?;
        let draft = (r.kind == ScheduleKind::Verksamhetsplan).then_some(VERKSAMHETSPLAN_DRAFT);
        version =
            Some(documents::queue_version(db, tenant.id, doc.id, draft, r.requested_by).await?);
    }
    let version_id = version.as_ref().map(|v| v.id);
    let run = repo::finish(
        db,
        tenant.id,
        run.id,
        outcome,
        Some(&detail),
        version_id,
        now,
    )
    .await?;

    let mut notices = 0;
    if r.trigger == trigger::SCHEDULE && outcome != outcome::SKIPPED_NOT_REQUIRED {
        let base = base_url.trim_end_matches('/');
        let slug = &tenant.slug;
        let (subject, paragraphs, items, link, link_text) = match (outcome, r.kind) {
            (outcome::MISSING_DATA, _) => (
                format!("{} {year} kan inte skapas än", capitalised(what)),
                vec![format!(
                    "Enligt årshjulet skulle {what} för {year} skapas nu, men uppgifterna är inte kompletta. Det här saknas eller stämmer inte:"
                )],
                missing,
                format!("{base}/t/{slug}/ar/{year}"),
                format!("Öppna året {year}"),
            ),
            (_, ScheduleKind::Verksamhetsplan) => {
                let mut p = vec![format!(
                    "Enligt årshjulet har ett förslag till verksamhetsplan med budget för {year} skapats som utkast, märkt ”{VERKSAMHETSPLAN_DRAFT}”."
                )];
                if let Some(d) = r.due_on {
                    p.push(format!(
                        "Styrelsen ska besluta verksamhetsplanen senast {}.",
                        long_date(d)
                    ));
                }
                (
                    format!("Förslag till verksamhetsplan {year}"),
                    p,
                    notes,
                    format!(
                        "{base}/t/{slug}/dokument/versioner/{}",
                        version_id.unwrap_or_default()
                    ),
                    "Se förslaget".to_owned(),
                )
            }
            _ => {
                let mut p = vec![format!("Enligt årshjulet har {what} för {year} skapats.")];
                if let Some(d) = r.due_on {
                    p.push(match r.kind {
                        ScheduleKind::Arsredovisning => {
                            format!("Den ska vara underskriven senast {}.", long_date(d))
                        }
                        _ => format!("Styrelsen ska besluta den senast {}.", long_date(d)),
                    });
                }
                (
                    format!("{} {year} är skapad", capitalised(what)),
                    p,
                    vec![],
                    format!(
                        "{base}/t/{slug}/dokument/versioner/{}",
                        version_id.unwrap_or_default()
                    ),
                    format!("Se {what}"),
                )
            }
        };
        let mail = finsam_mail::templates::notice(&finsam_mail::templates::Notice {
            forbund: &tenant.name,
            subject: &subject,
            heading: &subject,
            paragraphs: &paragraphs,
            items: &items,
            link: Some(&link),
            link_text: Some(&link_text),
        });
        let key = format!(
            "schedule:{}:{}:{year}:{outcome}",
            tenant.id,
            r.kind.as_str()
        );
        notices += notify_kansli(db, tenant.id, &key, &mail).await?;
    }
    Ok(Execution::Ran {
        run,
        render: version_id.map(|version_id| RenderJob {
            tenant_id: tenant.id,
            version_id,
        }),
        notices,
    })
}

/// Queues `mail` to every active kansli account of the tenant, each once under `{key}:{address}`.
/// Answers how many were new.
async fn notify_kansli<C: ConnectionTrait>(
    db: &C,
    tenant_id: i64,
    key: &str,
    mail: &finsam_mail::templates::Rendered,
) -> anyhow::Result<usize> {
    let mut queued = 0;
    for to in memberships::kansli_addresses(db, tenant_id).await? {
        let new = outbox::enqueue(
            db,
            outbox::NewMessage {
                tenant_id: Some(tenant_id),
                idempotency_key: &format!("{key}:{to}"),
                recipient: &to,
                subject: &mail.subject,
                body_text: &mail.text,
                body_html: &mail.html,
                ..Default::default()
            },
        )
        .await?;
        queued += usize::from(new);
    }
    Ok(queued)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The tick over every förbund, and its driver.
#[derive(Clone)]
pub struct Scheduler {
    pub db: Db,
    /// Where queued versions are pushed; without one, the render sweeper finds them.
    pub queue: Option<RenderQueue>,
    /// Links in the notices start with it.
    pub base_url: String,
    /// Wakes the e-mail worker after notices are queued.
    pub mail_kick: Option<Arc<tokio::sync::Notify>>,
    /// Starts the signing of what a run rendered, due by the run's date; without one, nothing is
    /// started (the kansli starts it from the document).
    pub signing: Option<crate::signing::Signing>,
}

impl Scheduler {
    /// Makes every run due at `now`, in every förbund; answers the runs this call made. Safe to call from
    /// any number of processes at once: each (tenant, kind, year) is made by one of them.
    pub async fn tick(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<Run>> {
        crate::metrics::timed("schedule_tick", self.tick_tenants(now), |_| "ok").await
    }

    async fn tick_tenants(&self, now: DateTime<Utc>) -> anyhow::Result<Vec<Run>> {
        let mut made = Vec::new();
        for t in tenants::list(self.db.platform()).await? {
            match self.tick_tenant(&t, now).await {
                Ok(mut runs) => made.append(&mut runs),
                Err(e) => {
                    tracing::warn!(tenant_id = t.id, error = ?e, "schedule tick failed for a förbund")
                }
            }
        }
        Ok(made)
    }

    async fn tick_tenant(
        &self,
        t: &tenants::Tenant,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Run>> {
        let specs = with_defaults(&repo::entries(&self.db.tenant(t.id), t.id).await?);
        let done: Vec<(ScheduleKind, i32)> = repo::run_keys(&self.db.tenant(t.id), t.id)
            .await?
            .into_iter()
            .filter_map(|(k, y)| Some((ScheduleKind::parse(&k)?, y)))
            .collect();
        let since = stockholm_date(t.created_at);
        let mut made = Vec::new();
        for d in due(&specs, &done, since, now) {
            let r = RunRequest {
                kind: d.kind,
                year: d.year,
                trigger: trigger::SCHEDULE,
                requested_by: None,
                due_on: d.due_on,
            };
            match self.execute_in_txn(t, &r, now).await {
                Ok(Some(run)) => made.push(run),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(tenant_id = t.id, kind = d.kind.as_str(), year = d.year, error = ?e, "scheduled run failed; it is tried again at the next tick");
                    // After a day of failures, record it (the kansli sees it and may use "Kör nu").
                    if stockholm_date(now) - d.on >= Duration::days(1) {
                        self.record_failed(t, &r, now).await?;
                    }
                }
            }
        }
        if let Some(signing) = &self.signing {
            self.start_signing(t, signing, now).await?;
        }
        Ok(made)
    }

    /// Starts the signing round of each rendered årsredovisning or delårsrapport that is to be signed
    /// by its run's date, once its version is ready: the kind's default signers, the run's date as the
    /// deadline. Once per run across processes (a claim on the run); a version that already has a round
    /// (started by hand) is left alone; what cannot start (a draft, no signer with an address) is told to
    /// the kansli once and not tried again.
    pub async fn start_signing(
        &self,
        t: &tenants::Tenant,
        signing: &crate::signing::Signing,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        use crate::signing::{SigningError, StartRound};
        let today = stockholm_date(now);
        for run in repo::signing_candidates(&self.db.tenant(t.id), t.id, today, now).await? {
            let (Some(kind), Some(version_id), Some(due_on)) =
                (ScheduleKind::parse(&run.kind), run.version_id, run.due_on)
            else {
                continue;
            };
            if kind == ScheduleKind::Verksamhetsplan {
                // Its date is the styrelse's decision, not a signature.
                continue;
            }
            let Some(v) = documents::version(&self.db.tenant(t.id), t.id, version_id).await? else {
                continue;
            };
            if v.status != documents::status::READY && v.status != documents::status::FAILED {
                continue; // still rendering: the next tick looks again
            }
            if let Some(existing) =
                finsam_db::repo::signing::for_version(&self.db.tenant(t.id), t.id, v.id)
                    .await?
                    .last()
            {
                repo::finish_signing(
                    &self.db.tenant(t.id),
                    t.id,
                    run.id,
                    Some(existing.id),
                    None,
                    now,
                )
                .await?;
                continue;
            }
            if !repo::claim_signing(&self.db.tenant(t.id), t.id, run.id, now).await? {
                continue;
            }
            let note = if v.status == documents::status::FAILED {
                Some("Dokumentet kunde inte skapas.".to_owned())
            } else {
                let what = kind.definite();
                let started = signing
                    .start(
                        StartRound {
                            tenant_id: t.id,
                            version_id: v.id,
                            signers: None,
                            ordered: false,
                            deadline: due_on,
                            message: Some(format!(
                                "Enligt förbundets årshjul ska {what} för {} vara underskriven senast {}.",
                                run.year,
                                long_date(due_on)
                            )),
                            reminder_days: None,
                            auto_distribute: false,
                            started_by: None,
                            sender_name: t.name.clone(),
                            previous_round_id: None,
                        },
                        now,
                    )
                    .await;
                match started {
                    Ok(round) => {
                        repo::finish_signing(
                            &self.db.tenant(t.id),
                            t.id,
                            run.id,
                            Some(round.id),
                            None,
                            now,
                        )
                        .await?;
                        tracing::info!(
                            tenant_id = t.id,
                            run_id = run.id,
                            round_id = round.id,
                            "the yearly cycle started a signing round"
                        );
                        None
                    }
                    Err(SigningError::Field { message, .. }) => Some(message),
                    Err(SigningError::Conflict(message)) => Some(message),
                    Err(SigningError::Refused(e)) => Some(e.to_string()),
                    Err(e) => {
                        // The database or the like: the claim lapses and a later tick tries again.
                        tracing::warn!(tenant_id = t.id, run_id = run.id, error = ?e, "starting the scheduled signing failed");
                        continue;
                    }
                }
            };
            if let Some(note) = note {
                self.signing_refused(t, &run, kind, &note, now).await?;
            }
        }
        Ok(())
    }

    /// Records why a run's signing could not start and tells the kansli, in one transaction.
    async fn signing_refused(
        &self,
        t: &tenants::Tenant,
        run: &Run,
        kind: ScheduleKind,
        note: &str,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let year = run.year;
        let base = self.base_url.trim_end_matches('/');
        let subject = format!(
            "Underskriften av {} {year} kunde inte startas",
            kind.definite()
        );
        let paragraphs = vec![
            format!(
                "Enligt årshjulet skulle underskriften av {} för {year} ha startats nu. Det gick inte:",
                kind.definite()
            ),
            "Rätta det och starta underskriften från dokumentet.".to_owned(),
        ];
        let items = vec![note.to_owned()];
        let link = format!(
            "{base}/t/{}/dokument/versioner/{}",
            t.slug,
            run.version_id.unwrap_or_default()
        );
        let mail = finsam_mail::templates::notice(&finsam_mail::templates::Notice {
            forbund: &t.name,
            subject: &subject,
            heading: &subject,
            paragraphs: &paragraphs,
            items: &items,
            link: Some(&link),
            link_text: Some("Öppna dokumentet"),
        });
        let txn = self.db.tenant(t.id).begin().await?;
        repo::finish_signing(&txn, t.id, run.id, None, Some(note), now).await?;
        notify_kansli(
            &txn,
            t.id,
            &format!("schedule-signing:{}:{}", t.id, run.id),
            &mail,
        )
        .await?;
        txn.commit().await?;
        if let Some(k) = &self.mail_kick {
            k.notify_one();
        }
        Ok(())
    }

    /// Runs one request in its own transaction, then pushes the render job and wakes the mail worker.
    /// Answers the run when this call made it.
    pub async fn execute_in_txn(
        &self,
        t: &tenants::Tenant,
        r: &RunRequest,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Option<Run>> {
        let txn = self.db.tenant(t.id).begin().await?;
        let done = execute(&txn, t, r, &self.base_url, now).await?;
        txn.commit().await?;
        match done {
            Execution::AlreadyRan(_) => Ok(None),
            Execution::Ran {
                run,
                render,
                notices,
            } => {
                tracing::info!(
                    tenant_id = t.id,
                    kind = r.kind.as_str(),
                    year = r.year,
                    outcome = run.outcome,
                    version_id = ?run.version_id,
                    notices,
                    "scheduled run made"
                );
                self.after_commit(render, notices).await;
                Ok(Some(run))
            }
        }
    }

    /// What follows a committed run: the render job (the sweeper renders it if the push fails) and the
    /// mail worker's wake-up.
    pub async fn after_commit(&self, render: Option<RenderJob>, notices: usize) {
        if let (Some(job), Some(q)) = (render, &self.queue)
            && let Err(e) = q.push(job).await
        {
            tracing::warn!(error = %e, version_id = job.version_id, "render job not queued; the sweeper will render it");
        }
        if notices > 0
            && let Some(k) = &self.mail_kick
        {
            k.notify_one();
        }
    }

    async fn record_failed(
        &self,
        t: &tenants::Tenant,
        r: &RunRequest,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let txn = self.db.tenant(t.id).begin().await?;
        let claim = Claim {
            kind: r.kind.as_str(),
            year: r.year,
            trigger: r.trigger,
            requested_by: None,
            due_on: r.due_on,
        };
        if let Some(run) = repo::claim(&txn, t.id, &claim, now).await? {
            repo::finish(
                &txn,
                t.id,
                run.id,
                outcome::FAILED,
                Some("Körningen misslyckades av ett tekniskt fel. Försök igen med Kör nu."),
                None,
                now,
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Ticks once now, then on [`TICK_CRON`] until `shutdown` resolves.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) {
        if let Err(e) = self.tick(Utc::now()).await {
            tracing::warn!(error = ?e, "schedule tick at start failed");
        }
        async fn handle(_tick: apalis_cron::Tick, s: Data<Scheduler>) -> Result<(), BoxDynError> {
            if let Err(e) = s.tick(Utc::now()).await {
                tracing::warn!(error = ?e, "schedule tick failed");
            }
            Ok(())
        }
        let cron: cron::Schedule = TICK_CRON
            .parse()
            .expect("TICK_CRON is a valid cron expression");
        let worker = WorkerBuilder::new(SCHEDULE_WORKER)
            .backend(apalis_cron::CronScheduler::new(cron))
            .data(self)
            .build(handle);
        if let Err(e) = worker
            .run_until(async move {
                shutdown.await;
                Ok::<(), std::io::Error>(())
            })
            .await
        {
            tracing::error!(error = %e, "schedule worker stopped");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const LONG_AGO: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();

    fn kinds(v: &[DueRun]) -> Vec<(ScheduleKind, i32)> {
        v.iter().map(|d| (d.kind, d.year)).collect()
    }

    #[test]
    fn on_1_february_last_years_annual_report_is_due_with_signing_by_31_march() {
        let d = due(&defaults(), &[], LONG_AGO, at(2025, 2, 1, 6));
        assert_eq!(
            d,
            [DueRun {
                kind: ScheduleKind::Arsredovisning,
                year: 2024,
                on: date(2025, 2, 1),
                due_on: Some(date(2025, 3, 31)),
            }]
        );
    }

    #[test]
    fn nothing_is_due_the_day_before_and_the_day_is_read_in_stockholm() {
        assert!(due(&defaults(), &[], LONG_AGO, at(2025, 1, 31, 12)).is_empty());
        // 23:30 UTC on 31 January is 00:30 on 1 February in Stockholm.
        let d = Utc.with_ymd_and_hms(2025, 1, 31, 23, 30, 0).unwrap();
        assert_eq!(
            kinds(&due(&defaults(), &[], LONG_AGO, d)),
            [(ScheduleKind::Arsredovisning, 2024)]
        );
        // 22:30 UTC on 31 January is still 31 January there.
        let d = Utc.with_ymd_and_hms(2025, 1, 31, 22, 30, 0).unwrap();
        assert!(due(&defaults(), &[], LONG_AGO, d).is_empty());
    }

    #[test]
    fn a_run_that_exists_is_not_due_again() {
        let done = [(ScheduleKind::Arsredovisning, 2024)];
        assert!(due(&defaults(), &done, LONG_AGO, at(2025, 2, 1, 6)).is_empty());
        assert!(due(&defaults(), &done, LONG_AGO, at(2025, 3, 1, 6)).is_empty());
    }

    #[test]
    fn a_missed_run_is_caught_up_within_60_days_and_not_after() {
        assert_eq!(
            kinds(&due(&defaults(), &[], LONG_AGO, at(2025, 2, 10, 9))),
            [(ScheduleKind::Arsredovisning, 2024)]
        );
        // 1 February + 60 days = 2 April: still caught up; 3 April: the cycle is over.
        assert_eq!(due(&defaults(), &[], LONG_AGO, at(2025, 4, 2, 9)).len(), 1);
        assert!(due(&defaults(), &[], LONG_AGO, at(2025, 4, 3, 9)).is_empty());
    }

    #[test]
    fn each_kind_makes_its_own_year() {
        assert_eq!(
            due(&defaults(), &[], LONG_AGO, at(2025, 8, 1, 9)),
            [DueRun {
                kind: ScheduleKind::Delarsrapport,
                year: 2025,
                on: date(2025, 8, 1),
                due_on: None,
            }]
        );
        assert_eq!(
            due(&defaults(), &[], LONG_AGO, at(2025, 10, 1, 9)),
            [DueRun {
                kind: ScheduleKind::Verksamhetsplan,
                year: 2026,
                on: date(2025, 10, 1),
                due_on: Some(date(2025, 11, 30)),
            }]
        );
    }

    #[test]
    fn a_forbund_created_after_the_date_gets_nothing_for_it() {
        let created = date(2025, 11, 10);
        assert!(due(&defaults(), &[], created, at(2025, 11, 22, 9)).is_empty());
        // … but the next cycle, yes.
        assert_eq!(
            kinds(&due(&defaults(), &[], created, at(2026, 2, 1, 9))),
            [(ScheduleKind::Arsredovisning, 2025)]
        );
        // Created on the day itself: it runs.
        assert_eq!(
            due(&defaults(), &[], date(2025, 2, 1), at(2025, 2, 1, 9)).len(),
            1
        );
    }

    #[test]
    fn a_disabled_entry_never_runs_and_a_moved_date_moves_the_run() {
        let mut e = defaults();
        e[0].enabled = false;
        assert!(due(&e, &[], LONG_AGO, at(2025, 2, 1, 9)).is_empty());
        let mut e = defaults();
        e[0].month = 2;
        e[0].day = 15;
        assert!(due(&e, &[], LONG_AGO, at(2025, 2, 1, 9)).is_empty());
        assert_eq!(
            kinds(&due(&e, &[], LONG_AGO, at(2025, 2, 15, 9))),
            [(ScheduleKind::Arsredovisning, 2024)]
        );
    }

    #[test]
    fn a_date_late_in_the_year_is_caught_up_across_new_year() {
        let e = [EntrySpec {
            kind: ScheduleKind::Verksamhetsplan,
            month: 12,
            day: 15,
            enabled: true,
            due: Some((1, 31)),
        }];
        let d = due(&e, &[], LONG_AGO, at(2026, 1, 5, 9));
        assert_eq!(
            d,
            [DueRun {
                kind: ScheduleKind::Verksamhetsplan,
                year: 2026,
                on: date(2025, 12, 15),
                due_on: Some(date(2026, 1, 31)),
            }]
        );
    }

    #[test]
    fn dates_that_do_not_exist_every_year_are_refused_in_swedish() {
        assert!(check_date(2, 28).is_ok());
        assert!(check_date(12, 31).is_ok());
        let e = check_date(2, 31).unwrap_err();
        assert!(e.contains("31 februari finns inte"), "{e}");
        assert!(check_date(2, 29).unwrap_err().contains("29 februari"));
        assert!(
            check_date(4, 31)
                .unwrap_err()
                .contains("april har 30 dagar")
        );
        assert!(check_date(13, 1).is_err());
        assert!(check_date(1, 0).is_err());
    }

    #[test]
    fn next_run_skips_what_has_run() {
        let e = defaults()[0];
        assert_eq!(next_run(&e, &[], date(2025, 1, 10)), Some(date(2025, 2, 1)));
        let done = [(ScheduleKind::Arsredovisning, 2024)];
        assert_eq!(
            next_run(&e, &done, date(2025, 2, 1)),
            Some(date(2026, 2, 1))
        );
        assert_eq!(next_run(&e, &[], date(2025, 2, 2)), Some(date(2026, 2, 1)));
    }

    #[test]
    fn natural_years_and_cycles() {
        let today = date(2026, 11, 22);
        assert_eq!(natural_year(ScheduleKind::Arsredovisning, today), 2025);
        assert_eq!(natural_year(ScheduleKind::Delarsrapport, today), 2026);
        assert_eq!(natural_year(ScheduleKind::Verksamhetsplan, today), 2027);
        assert_eq!(
            defaults()[0].cycle(2024),
            (Some(date(2025, 2, 1)), Some(date(2025, 3, 31)))
        );
        assert_eq!(
            defaults()[2].cycle(2026),
            (Some(date(2025, 10, 1)), Some(date(2025, 11, 30)))
        );
        assert_eq!(long_date(date(2025, 3, 31)), "31 mars 2025");
    }
}

//! `finsam`: the one binary. See `finsam --help` and docs/.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use finsam::{app, config, demo};

#[derive(Parser)]
#[command(
    name = "finsam",
    version,
    about = "Styrning och rapportering för samordningsförbund"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server and the background worker (migrations run first).
    Serve,
    /// Like `serve`, but first load the three demo förbund into an empty database.
    Demo,
    /// Run the background work only: e-mail, rendering and sealing, signing reminders, the yearly cycle
    /// (with /healthz, /readyz and /metrics on FINSAM_LISTEN).
    Worker,
    /// Run the database migrations and exit.
    Migrate,
    /// Back up the embedded mode (database, documents, sent e-mail, secret) into a new folder.
    Backup {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup made by `finsam backup` into an empty FINSAM_DATA_DIR.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Import a year file into a förbund (all or nothing; the same file twice changes nothing).
    Import {
        #[arg(long)]
        tenant: String,
        file: std::path::PathBuf,
    },
    /// Export a förbund's year as a year file (to standard output, or --out FILE).
    Export {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Render a document without a server, from the same data dir: a new version, stored like any other,
    /// and copied to --out.
    Render {
        #[arg(long)]
        tenant: String,
        /// arsredovisning, delarsrapport, verksamhetsplan or minnesanteckningar.
        #[arg(long)]
        kind: String,
        /// The year (not for minutes).
        #[arg(long)]
        year: Option<i32>,
        /// The meeting's key (minutes only), e.g. medlemssamrad-2024-02-23.
        #[arg(long)]
        meeting: Option<String>,
        /// Render a draft (stamped UTKAST) with this reason, even when the year's checks fail.
        #[arg(long)]
        draft: Option<String>,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Create a platform admin (the password is read from standard input).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

fn init_tracing(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("FINSAM_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // Logs go to standard error: standard output is for what a command answers (`finsam export`).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    if format == "json" {
        builder.json().with_current_span(true).init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    app::init_crypto();
    let raw = config::RawConfig::load()?;
    init_tracing(&raw.log_format);
    if let Command::Restore { from } = &cli.command {
        // Before the configuration is resolved: resolving makes files in the data dir.
        let m = finsam::backup::restore(from, &raw.data_dir)?;
        println!(
            "Återställde {} filer från säkerhetskopian {} till {}.",
            m.files.len(),
            m.created_at,
            raw.data_dir.display()
        );
        return Ok(());
    }
    let cfg = config::Config::resolve(raw)?;
    match cli.command {
        Command::Migrate => {
            app::migrate_database(&cfg).await?;
            tracing::info!("migrations are up to date");
            Ok(())
        }
        Command::Backup { out } => {
            let db = app::open_database(&cfg).await?;
            let m = finsam::backup::backup(&cfg, db.connection(), &out).await?;
            println!(
                "Säkerhetskopian i {} har {} filer ({}).",
                out.display(),
                m.files.len(),
                finsam::backup::MANIFEST
            );
            Ok(())
        }
        Command::Restore { .. } => unreachable!("handled before the configuration"),
        Command::Serve => serve(cfg, false).await,
        Command::Demo => serve(cfg, true).await,
        Command::Worker => {
            let db = app::open_database(&cfg).await?;
            let listener = tokio::net::TcpListener::bind(&cfg.listen)
                .await
                .with_context(|| format!("listening on {} (FINSAM_LISTEN: the worker answers /healthz, /readyz and /metrics there; give a worker beside a server its own)", cfg.listen))?;
            let running = app::start_worker(&cfg, db, listener).await?;
            tracing::info!(addr = %running.addr, "the worker is running");
            let shutdown = running.shutdown_handle();
            tokio::spawn(async move {
                app::shutdown_signal().await;
                tracing::info!("shutting down");
                let _ = shutdown.send(true);
            });
            running.wait().await
        }
        Command::CreateAdmin { email, name } => create_admin(&cfg, &email, &name).await,
        Command::Import { tenant, file } => import(&cfg, &tenant, &file).await,
        Command::Export { tenant, year, out } => export(&cfg, &tenant, year, out.as_deref()).await,
        Command::Render {
            tenant,
            kind,
            year,
            meeting,
            draft,
            out,
        } => {
            let r = RenderArgs {
                kind,
                year,
                meeting,
                draft,
            };
            render(&cfg, &tenant, &r, &out).await
        }
    }
}

async fn serve(cfg: config::Config, demo_data: bool) -> anyhow::Result<()> {
    let db = app::open_database(&cfg).await?;
    if demo_data {
        let (password, generated) = match std::env::var("FINSAM_DEMO_PASSWORD") {
            Ok(p) if !p.is_empty() => (p, false),
            _ => (generated_password(), true),
        };
        if demo::load_with_fixtures(&db, &password).await? {
            println!(
                "\nDemodata är inläst: tre förbund och dessa konton{}:",
                if generated {
                    ""
                } else {
                    " (lösenord från FINSAM_DEMO_PASSWORD)"
                }
            );
            for (email, what) in demo::logins() {
                println!("  {email:<38} {what}");
            }
            if generated {
                println!("\nLösenord för alla demokonton (visas bara nu): {password}\n");
            }
        } else {
            println!(
                "\nDatabasen har redan data; demodata lästes inte in igen. Logga in med demokontona och lösenordet från första starten.\n"
            );
        }
    }
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .with_context(|| format!("listening on {}", cfg.listen))?;
    let running = app::start(&cfg, db, listener).await?;
    tracing::info!(url = %cfg.base_url, addr = %running.addr, "Finsam is listening");
    println!("Finsam körs på {}", cfg.base_url);
    let stop = running.shutdown_handle();
    tokio::spawn(async move {
        app::shutdown_signal().await;
        tracing::info!("shutting down");
        let _ = stop.send(true);
    });
    running.wait().await
}

/// 20 random characters from an alphabet without look-alikes.
fn generated_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let chars: String = (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!(
        "{}-{}-{}-{}",
        &chars[0..5],
        &chars[5..10],
        &chars[10..15],
        &chars[15..20]
    )
}

async fn create_admin(cfg: &config::Config, email: &str, name: &str) -> anyhow::Result<()> {
    let email =
        finsam_core::EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    finsam_core::password::check(&password, &[email.as_str()]).map_err(anyhow::Error::msg)?;
    let db = app::open_database(cfg).await?;
    let hash = finsam_web::auth::password::hash(password).await?;
    finsam_db::repo::accounts::create(db.platform(), &email, name, Some(hash), true)
        .await
        .context("creating the account")?;
    println!("Plattformsadministratören {email} är skapad.");
    Ok(())
}

async fn tenant_id(db: &finsam_db::Db, slug: &str) -> anyhow::Result<i64> {
    Ok(finsam_db::repo::tenants::by_slug(db.platform(), slug)
        .await?
        .with_context(|| format!("no förbund with the slug {slug}"))?
        .id)
}

async fn import(cfg: &config::Config, slug: &str, path: &std::path::Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let file = match finsam_core::yearfile::parse(&bytes) {
        Ok(f) => f,
        Err(problems) => {
            eprintln!(
                "{} har {} fel och lästes inte in:",
                path.display(),
                problems.len()
            );
            for p in problems {
                eprintln!(
                    "  {}: {}",
                    if p.path.is_empty() {
                        "(filen)"
                    } else {
                        &p.path
                    },
                    p.message
                );
            }
            std::process::exit(1);
        }
    };
    let db = app::open_database(cfg).await?;
    let tenant = tenant_id(&db, slug).await?;
    let summary = finsam::demo::import_year(&db, tenant, &file).await?;
    println!(
        "{} inläst i {slug} för {}: {summary:?}",
        path.display(),
        file.year
    );
    Ok(())
}

async fn export(
    cfg: &config::Config,
    slug: &str,
    year: i32,
    out: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let db = app::open_database(cfg).await?;
    let tenant = tenant_id(&db, slug).await?;
    let file = finsam_db::repo::yearfile::export(&db.tenant(tenant), tenant, year).await?;
    let json = serde_json::to_string_pretty(&file)? + "\n";
    match out {
        Some(p) => std::fs::write(p, json).with_context(|| format!("writing {}", p.display()))?,
        None => print!("{json}"),
    }
    Ok(())
}

struct RenderArgs {
    kind: String,
    year: Option<i32>,
    meeting: Option<String>,
    draft: Option<String>,
}

async fn render(
    cfg: &config::Config,
    slug: &str,
    r: &RenderArgs,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    use finsam_db::repo::documents;
    use finsam_documents::Kind;
    use finsam_jobs::render::{Outcome, Renderer};
    let db = app::open_database(cfg).await?;
    let tenant = tenant_id(&db, slug).await?;
    let kind = Kind::parse(&r.kind).with_context(|| {
        format!(
            "unknown kind {}: arsredovisning, delarsrapport, verksamhetsplan or minnesanteckningar",
            r.kind
        )
    })?;
    let (subject, year, meeting_id) = match kind {
        Kind::Minnesanteckningar => {
            let key = r
                .meeting
                .as_deref()
                .context("--meeting KEY is needed for minutes")?;
            let m = finsam_db::repo::meetings::by_key(&db.tenant(tenant), tenant, key)
                .await?
                .with_context(|| format!("no meeting {key} in {slug}"))?;
            (format!("meeting:{}", m.id), None, Some(m.id))
        }
        _ => {
            let y = r.year.context("--year YEAR is needed")?;
            (y.to_string(), Some(y), None)
        }
    };
    let doc = documents::ensure(
        &db.tenant(tenant),
        tenant,
        kind.as_str(),
        &subject,
        year,
        meeting_id,
    )
    .await?;
    let v = documents::queue_version(&db.tenant(tenant), tenant, doc.id, r.draft.as_deref(), None)
        .await?;
    let storage = app::storage(cfg)?;
    let renderer = Renderer {
        db: db.clone(),
        storage: storage.clone(),
        signing: None,
    };
    match renderer.render(tenant, v.id).await? {
        Outcome::Ready => {}
        Outcome::Failed(msg) => bail!("{msg}"),
        Outcome::Skipped => bail!("version {} was taken by another worker", v.id),
    }
    let v = documents::version(&db.tenant(tenant), tenant, v.id)
        .await?
        .context("the version is gone")?;
    let sha = v.pdf_sha256.context("the version has no PDF")?;
    let pdf = storage
        .get(&finsam_storage::key(tenant, &sha, "pdf"))
        .await?;
    std::fs::write(out, &pdf).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "{}: version {} ({} pages, {} ms, sha256 {sha})",
        out.display(),
        v.number,
        v.pages.unwrap_or(0),
        v.render_ms.unwrap_or(0)
    );
    Ok(())
}

//! `onetrip bench cases`: case throughput against the engine's own rate of
//! durable single-row transactions, measured in the same run with the
//! same settings.
//!
//! 1. Complete lifecycles per second: `--workers` concurrent tasks each
//!    file online applications and take them through submit → pre-review
//!    pass → accept → approve → issue result → electronic dispatch
//!    (completed), every step through the application's use cases with
//!    real authorisation by the demo applicant, helper and officer.
//! 2. Audited transitions per second: the same number of drafts is filed
//!    first (untimed), then only their six lifecycle actions are timed, each
//!    an `App::act` (authorisation read, one write transaction with its
//!    timeline line, due dates, notifications and audit entry).
//! 3. The raw engine: the same number of transactions, each one INSERT into
//!    a scratch table, with the same concurrency and the store's own
//!    settings (SQLite: the store's pool with WAL, `synchronous=FULL`,
//!    `BEGIN IMMEDIATE`; PostgreSQL: `BEGIN`, default `synchronous_commit`).
//!
//! The ratio transitions / raw shows what the use cases cost over a bare
//! durable commit; it is printed as measured.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use clap::{Args, ValueEnum};
use onetrip_app::auth::Principal;
use onetrip_app::cases::{ApplicationRequest, ApplyTarget};
use onetrip_app::{App, Config, SystemClock};
use onetrip_domain::case::{ApplicationForm, CourierDetails, DeliveryMethod};
use onetrip_store::CaseCommand;
use sqlx::Connection;

/// Which engines to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// SQLite on a temporary file.
    Sqlite,
    /// PostgreSQL in a fresh database.
    Postgres,
    /// Both.
    Both,
}

/// Options of `bench cases`.
#[derive(Debug, Clone, Args)]
pub struct CaseBenchArgs {
    /// Engines to measure.
    #[arg(long, value_enum, default_value_t = EngineChoice::Both)]
    pub engine: EngineChoice,
    /// Complete lifecycles to run.
    #[arg(long, default_value_t = 400)]
    pub cases: usize,
    /// Concurrent workers.
    #[arg(long, default_value_t = 8)]
    pub workers: usize,
    /// PostgreSQL server (default: $ONETRIP_BENCH_PG_URL, else
    /// postgres://postgres@127.0.0.1:5432/test); a database
    /// `onetrip_bench_<pid>` is created on it and dropped after.
    #[arg(long)]
    pub pg_url: Option<String>,
}

impl CaseBenchArgs {
    fn pg_url(&self) -> String {
        self.pg_url
            .clone()
            .or_else(|| std::env::var("ONETRIP_BENCH_PG_URL").ok())
            .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned())
    }
}

/// The single-item application every lifecycle files: 灵活就业人员参保登记,
/// delivered electronically, two materials (an e-certificate and shared data).
const ITEM: &str = "420100-RSJ-GG-003";
/// 张伟, a demo applicant (first 17 digits; the check digit is computed).
const APPLICANT: &str = "42011119900315123";
const HELPER: &str = "wangfang";
const OFFICER: &str = "yangxue";
/// `apply_case_change` calls per lifecycle.
const TRANSITIONS: usize = 6;

struct Cast {
    applicant: Principal,
    helper: Principal,
    officer: Principal,
}

async fn cast(app: &App) -> anyhow::Result<Cast> {
    let staff = |name: &'static str| async move {
        let s = app
            .store
            .staff_by_username(name)
            .await?
            .ok_or_else(|| anyhow!("demo staff {name} missing"))?;
        let p = app
            .store
            .staff_principal(s.id)
            .await?
            .ok_or_else(|| anyhow!("demo staff {name} has no principal"))?;
        Ok::<_, anyhow::Error>(Principal::Staff(p))
    };
    let check = onetrip_domain::identity::ResidentIdNumber::check_character(APPLICANT)
        .ok_or_else(|| anyhow!("demo applicant {APPLICANT} is malformed"))?;
    let a = app
        .store
        .applicant_by_identifier(&format!("{APPLICANT}{check}"))
        .await?
        .ok_or_else(|| anyhow!("demo applicant {APPLICANT} missing"))?;
    Ok(Cast {
        applicant: Principal::Applicant(a),
        helper: staff(HELPER).await?,
        officer: staff(OFFICER).await?,
    })
}

/// Files one online application with its materials (a draft); returns its id.
async fn prepare(app: &App, c: &Cast) -> anyhow::Result<i64> {
    let request = ApplicationRequest {
        target: ApplyTarget::Item {
            code: ITEM.to_owned(),
            situation: "S01".to_owned(),
        },
        form: ApplicationForm {
            contact_name: "张伟".to_owned(),
            contact_phone: "13871234567".to_owned(),
            contact_address: "湖北省武汉市洪山区珞喻路1037号".to_owned(),
            description: "灵活就业人员参保登记".to_owned(),
        },
        delivery_method: DeliveryMethod::Electronic,
        courier: CourierDetails::default(),
    };
    let e = |e: onetrip_app::AppError| anyhow!("{e}");
    let case = app
        .start_application(&c.applicant, &request)
        .await
        .map_err(e)?;
    for entry in case.checklist.iter().filter(|m| m.needed_from_applicant()) {
        app.fill_material(
            &c.applicant,
            case.id,
            &entry.key,
            "已通过电子证照库调取，核验一致。",
        )
        .await
        .map_err(e)?;
    }
    Ok(case.id)
}

/// Takes a prepared draft through its six transitions to completion;
/// returns the number of transitions applied.
async fn advance(app: &App, c: &Cast, id: i64) -> anyhow::Result<usize> {
    let e = |e: onetrip_app::AppError| anyhow!("{e}");
    let steps = [
        (&c.applicant, CaseCommand::Submit),
        (&c.helper, CaseCommand::PassPreReview),
        (&c.officer, CaseCommand::Accept),
        (
            &c.officer,
            CaseCommand::Approve {
                part: 1,
                opinion: "经审查，符合条件，准予办理。".to_owned(),
                valid_until: None,
            },
        ),
        (&c.officer, CaseCommand::IssueResult),
        (
            &c.helper,
            CaseCommand::Dispatch {
                carrier: String::new(),
                tracking_no: String::new(),
            },
        ),
    ];
    let mut n = 0;
    for (who, command) in steps {
        app.act(who, id, command).await.map_err(e)?;
        n += 1;
    }
    Ok(n)
}

/// One complete lifecycle, filing included; returns the transitions applied.
async fn lifecycle(app: &App, c: &Cast) -> anyhow::Result<usize> {
    let id = prepare(app, c).await?;
    let n = advance(app, c, id).await?;
    debug_assert_eq!(n, TRANSITIONS);
    Ok(n)
}

/// Runs `total` jobs over `workers` tasks; returns the elapsed time.
pub(crate) async fn spread<F, Fut>(total: usize, workers: usize, job: F) -> anyhow::Result<Duration>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers.max(1) {
        let job = Arc::clone(&job);
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < total {
                job().await?;
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(start.elapsed())
}

pub(crate) fn config_in(dir: &std::path::Path, url: &str, workers: usize) -> Config {
    let mut config = Config::default();
    config.database.url = url.to_owned();
    config.database.max_connections = u32::try_from(workers + 2).unwrap_or(10);
    config.storage.data_dir = dir.join("data");
    config.audit.signing_key_file = dir.join("keys/audit.key");
    config.audit.checkpoint_file = dir.join("data/checkpoints.jsonl");
    config
}

/// What one engine measured.
struct Figures {
    lifecycles_per_s: f64,
    transitions_per_s: f64,
    raw_per_s: f64,
}

/// Measures complete lifecycles (filing included) per second, then audited
/// transitions per second on separately prepared drafts (only the
/// lifecycle actions are timed). Returns both rates and the transitions run.
async fn measure_cases(app: Arc<App>, args: &CaseBenchArgs) -> anyhow::Result<(f64, f64, usize)> {
    let c = Arc::new(cast(&app).await?);
    // One lifecycle first, so that a broken setup fails before timing.
    lifecycle(&app, &c).await?;
    let elapsed = {
        let (app, c) = (Arc::clone(&app), Arc::clone(&c));
        spread(args.cases, args.workers, move || {
            let (app, c) = (Arc::clone(&app), Arc::clone(&c));
            async move {
                lifecycle(&app, &c).await?;
                Ok(())
            }
        })
        .await?
    };
    let lifecycles_per_s = args.cases as f64 / elapsed.as_secs_f64();
    println!(
        "  {} complete lifecycles in {:.2} s ({} workers)",
        args.cases,
        elapsed.as_secs_f64(),
        args.workers
    );
    let mut drafts = Vec::with_capacity(args.cases);
    for _ in 0..args.cases {
        drafts.push(prepare(&app, &c).await?);
    }
    let queue = Arc::new(std::sync::Mutex::new(drafts));
    let transitions = Arc::new(AtomicUsize::new(0));
    let t = Arc::clone(&transitions);
    let elapsed = spread(args.cases, args.workers, move || {
        let (app, c, t, queue) = (
            Arc::clone(&app),
            Arc::clone(&c),
            Arc::clone(&t),
            Arc::clone(&queue),
        );
        async move {
            let id = queue
                .lock()
                .map_err(|_| anyhow!("draft queue poisoned"))?
                .pop()
                .ok_or_else(|| anyhow!("no prepared draft left"))?;
            let n = advance(&app, &c, id).await?;
            t.fetch_add(n, Ordering::Relaxed);
            Ok(())
        }
    })
    .await?;
    let n = transitions.load(Ordering::Relaxed);
    let secs = elapsed.as_secs_f64();
    println!("  {n} audited transitions on prepared drafts in {secs:.2} s");
    Ok((lifecycles_per_s, n as f64 / secs, n))
}

fn report(engine: &str, f: &Figures) {
    println!("  complete lifecycles     {:>9.1} /s", f.lifecycles_per_s);
    println!("  audited transitions     {:>9.1} /s", f.transitions_per_s);
    println!("  raw durable 1-row txns  {:>9.1} /s", f.raw_per_s);
    println!(
        "  {engine}: transitions / raw = {:.3} (the aim is at least 0.5)",
        f.transitions_per_s / f.raw_per_s
    );
}

async fn bench_sqlite(args: &CaseBenchArgs) -> anyhow::Result<()> {
    println!("sqlite (temporary file, WAL, synchronous=FULL, BEGIN IMMEDIATE):");
    let dir = std::env::temp_dir().join(format!("onetrip-bench-cases-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    let result = async {
        let app = Arc::new(
            App::open(config_in(&dir, &url, args.workers), Arc::new(SystemClock))
                .await
                .map_err(|e| anyhow!("{e}"))?,
        );
        app.load_demo().await.map_err(|e| anyhow!("{e}"))?;
        let (lifecycles_per_s, transitions_per_s, n) =
            measure_cases(Arc::clone(&app), args).await?;
        drop(app);
        let raw_per_s = raw_sqlite_rate(&url, n, args.workers).await?;
        report(
            "sqlite",
            &Figures {
                lifecycles_per_s,
                transitions_per_s,
                raw_per_s,
            },
        );
        Ok::<_, anyhow::Error>(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The engine's own rate of durable one-row transactions on `url`, with the
/// store's pool and pragmas (`BEGIN IMMEDIATE`, WAL, `synchronous=FULL`).
pub(crate) async fn raw_sqlite_rate(url: &str, n: usize, workers: usize) -> anyhow::Result<f64> {
    let store =
        onetrip_store::sqlite::SqliteStore::connect(url, u32::try_from(workers + 2).unwrap_or(10))
            .await?;
    let pool = store.pool().clone();
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS bench_scratch (id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
    )
    .execute(&pool)
    .await?;
    let elapsed = spread(n, workers, move || {
        let pool = pool.clone();
        async move {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            sqlx::query("INSERT INTO bench_scratch (v) VALUES ($1)")
                .bind("x")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }
    })
    .await?;
    Ok(n as f64 / elapsed.as_secs_f64())
}

/// The engine's own rate of durable one-row transactions on `url` (PostgreSQL).
pub(crate) async fn raw_postgres_rate(url: &str, n: usize, workers: usize) -> anyhow::Result<f64> {
    let store =
        onetrip_store::postgres::PgStore::connect(url, u32::try_from(workers + 2).unwrap_or(10))
            .await?;
    let pool = store.pool().clone();
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_scratch (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT NOT NULL)")
        .execute(&pool)
        .await?;
    let p = pool.clone();
    let elapsed = spread(n, workers, move || {
        let pool = p.clone();
        async move {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO bench_scratch (v) VALUES ($1)")
                .bind("x")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }
    })
    .await?;
    pool.close().await;
    Ok(n as f64 / elapsed.as_secs_f64())
}

/// `base` with its database name replaced by `name`.
pub(crate) fn with_database(base: &str, name: &str) -> anyhow::Result<String> {
    let (scheme, rest) = base
        .split_once("://")
        .ok_or_else(|| anyhow!("--pg-url {base:?} is not a URL"))?;
    let (authority, query) = match rest.split_once('/') {
        Some((authority, path)) => (
            authority,
            path.split_once('?')
                .map(|(_, q)| format!("?{q}"))
                .unwrap_or_default(),
        ),
        None => (rest, String::new()),
    };
    Ok(format!("{scheme}://{authority}/{name}{query}"))
}

async fn bench_postgres(args: &CaseBenchArgs) -> anyhow::Result<()> {
    println!("postgres (fresh database, READ COMMITTED, default synchronous_commit):");
    let base = args.pg_url();
    let mut admin = match sqlx::PgConnection::connect(&base).await {
        Ok(c) => c,
        Err(e) => {
            println!("  skipped: PostgreSQL at {base} is unreachable ({e})");
            return Ok(());
        }
    };
    let name = format!("onetrip_bench_{}", std::process::id());
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .with_context(|| format!("create database {name}"))?;
    let url = with_database(&base, &name)?;
    let dir = std::env::temp_dir().join(format!("onetrip-bench-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = async {
        let app = Arc::new(
            App::open(config_in(&dir, &url, args.workers), Arc::new(SystemClock))
                .await
                .map_err(|e| anyhow!("{e}"))?,
        );
        app.load_demo().await.map_err(|e| anyhow!("{e}"))?;
        let (lifecycles_per_s, transitions_per_s, n) =
            measure_cases(Arc::clone(&app), args).await?;
        drop(app);
        let raw_per_s = raw_postgres_rate(&url, n, args.workers).await?;
        report(
            "postgres",
            &Figures {
                lifecycles_per_s,
                transitions_per_s,
                raw_per_s,
            },
        );
        Ok::<_, anyhow::Error>(())
    }
    .await;
    let dropped = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    dropped.with_context(|| format!("drop database {name}"))?;
    Ok(())
}

/// Runs the case benchmark.
pub async fn run(args: &CaseBenchArgs) -> anyhow::Result<()> {
    println!(
        "OneTrip case benchmark ({}; {} lifecycles, {} workers)",
        if cfg!(debug_assertions) {
            "debug build: use --release for real numbers"
        } else {
            "release build"
        },
        args.cases,
        args.workers
    );
    if matches!(args.engine, EngineChoice::Sqlite | EngineChoice::Both) {
        bench_sqlite(args).await?;
    }
    if matches!(args.engine, EngineChoice::Postgres | EngineChoice::Both) {
        bench_postgres(args).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "b").unwrap(),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "b").unwrap(),
            "postgres://u:p@h/b?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h", "b").unwrap(),
            "postgres://h/b"
        );
    }
}

//! `onetrip bench hall`: the service hall's throughput and live-board
//! latency against the engine's own rate of durable single-row
//! transactions, measured in the same run with the same settings.
//!
//! 1. Ticket issue: `--tickets` kiosk tickets issued by `--workers`
//!    concurrent tasks through `App::take_ticket_at_kiosk` (sequence
//!    upsert, ticket row, board event, audit entry in one transaction).
//! 2. Call next: eight windows of the demo hall, each signed in by a demo
//!    staff member, call and finish tickets concurrently until the queue is
//!    empty; the rate counts calls (each call is followed by its finish).
//! 3. Board latency: a board reader waits on the live feed while one window
//!    calls `--latency-calls` tickets one by one; the latency is from just
//!    before the call to the reader holding its event (commit, wake-up,
//!    read). Measured with the reader on the same instance and, on
//!    PostgreSQL, on a second instance woken only by LISTEN/NOTIFY.
//! 4. The raw engine rate, as in `bench cases`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use clap::Args;
use onetrip_app::auth::Principal;
use onetrip_app::demo_hall::{DEMO_CENTRE, DEMO_HALL};
use onetrip_app::{App, SystemClock};
use onetrip_domain::hall::Outcome;
use onetrip_store::{HallKey, TicketAction};
use sqlx::Connection;

use crate::bench_cases::{
    EngineChoice, config_in, raw_postgres_rate, raw_sqlite_rate, spread, with_database,
};

/// Options of `bench hall`.
#[derive(Debug, Clone, Args)]
pub struct HallBenchArgs {
    /// Engines to measure.
    #[arg(long, value_enum, default_value_t = EngineChoice::Both)]
    pub engine: EngineChoice,
    /// Tickets to issue (and then call).
    #[arg(long, default_value_t = 800)]
    pub tickets: usize,
    /// Concurrent issuing workers.
    #[arg(long, default_value_t = 8)]
    pub workers: usize,
    /// Calls timed for the board latency.
    #[arg(long, default_value_t = 200)]
    pub latency_calls: usize,
    /// PostgreSQL server (default: $ONETRIP_BENCH_PG_URL, else
    /// postgres://postgres@127.0.0.1:5432/test).
    #[arg(long)]
    pub pg_url: Option<String>,
}

const WINDOW_STAFF: &[&str] = &[
    "wangfang", "zhoujie", "xuli", "hemin", "guoqiang", "linna", "mali", "admin",
];

async fn principal(app: &App, name: &str) -> anyhow::Result<Principal> {
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
    Ok(Principal::Staff(p))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted.get(i).copied().unwrap_or_default()
}

/// What one engine measured.
struct Figures {
    issue_per_s: f64,
    calls_per_s: f64,
    latency_same: (f64, f64),
    latency_other: Option<(f64, f64)>,
    raw_per_s: f64,
}

fn app_err(e: onetrip_app::AppError) -> anyhow::Error {
    anyhow!("{e}")
}

async fn issue_and_call(app: Arc<App>, args: &HallBenchArgs) -> anyhow::Result<(f64, f64)> {
    let hall = HallKey::new(DEMO_CENTRE, DEMO_HALL);
    let categories = ["A", "D", "E", "F"];
    let n = Arc::new(AtomicUsize::new(0));
    let (a, h, counter) = (Arc::clone(&app), hall.clone(), Arc::clone(&n));
    let elapsed = spread(args.tickets, args.workers, move || {
        let (app, hall, counter) = (Arc::clone(&a), h.clone(), Arc::clone(&counter));
        async move {
            let i = counter.fetch_add(1, Ordering::Relaxed);
            let cat = categories.get(i % categories.len()).copied().unwrap_or("D");
            app.take_ticket_at_kiosk(&hall, cat, None, None)
                .await
                .map_err(app_err)?;
            Ok(())
        }
    })
    .await?;
    let issue_per_s = args.tickets as f64 / elapsed.as_secs_f64();
    let counters = app.store.counters(&hall).await?;
    let mut windows = Vec::new();
    for (name, c) in WINDOW_STAFF.iter().zip(&counters) {
        let who = principal(&app, name).await?;
        app.sign_in_at_counter(&who, c.id).await.map_err(app_err)?;
        windows.push(who);
    }
    let calls = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for who in windows {
        let (app, calls) = (Arc::clone(&app), Arc::clone(&calls));
        tasks.push(tokio::spawn(async move {
            while let Some(t) = app.call_next_ticket(&who).await.map_err(app_err)? {
                calls.fetch_add(1, Ordering::Relaxed);
                let finish = TicketAction::Finish {
                    outcome: Outcome::Completed,
                    case_id: None,
                };
                app.act_on_ticket(&who, t.id, &finish)
                    .await
                    .map_err(app_err)?;
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let called = calls.load(Ordering::Relaxed);
    if called != args.tickets {
        return Err(anyhow!("called {called} of {} tickets", args.tickets));
    }
    Ok((issue_per_s, called as f64 / start.elapsed().as_secs_f64()))
}

/// Calls `calls` tickets one by one at the first window and measures how
/// long each takes to reach a reader on `reader` (p50, p99 in ms).
async fn board_latency(
    caller: Arc<App>,
    reader: Arc<App>,
    calls: usize,
) -> anyhow::Result<(f64, f64)> {
    let hall = HallKey::new(DEMO_CENTRE, DEMO_HALL);
    // Window 1 (the first staff member's) calls category A.
    for _ in 0..calls {
        caller
            .take_ticket_at_kiosk(&hall, "A", None, None)
            .await
            .map_err(app_err)?;
    }
    let who = principal(&caller, WINDOW_STAFF.first().copied().unwrap_or("wangfang")).await?;
    let mut after = reader
        .store
        .latest_hall_events(&hall, &[], 1)
        .await?
        .first()
        .map_or(0, |e| e.id);
    let mut wakeups = reader.hall_feed.subscribe(&reader.store).await;
    let mut latencies = Vec::with_capacity(calls);
    for _ in 0..calls {
        let t0 = Instant::now();
        let (c, w) = (Arc::clone(&caller), who.clone());
        let call = tokio::spawn(async move { c.call_next_ticket(&w).await });
        let got = loop {
            let events = reader
                .wait_for_hall_events(&hall, after, &mut wakeups, Duration::from_secs(10))
                .await
                .map_err(app_err)?;
            let Some(last) = events.last() else {
                let outcome = call.await?;
                return Err(anyhow!(
                    "no board event within 10 s (the call returned {outcome:?})"
                ));
            };
            after = last.id;
            if events.iter().any(|e| e.kind == "called") {
                break Instant::now();
            }
        };
        latencies.push((got - t0).as_secs_f64() * 1000.0);
        let ticket = call
            .await?
            .map_err(app_err)?
            .ok_or_else(|| anyhow!("nothing to call"))?;
        let finish = TicketAction::Finish {
            outcome: Outcome::Consulted,
            case_id: None,
        };
        caller
            .act_on_ticket(&who, ticket.id, &finish)
            .await
            .map_err(app_err)?;
        // Skip the finish event so the next wait sees only the next call.
        after = reader
            .store
            .latest_hall_events(&hall, &[], 1)
            .await?
            .first()
            .map_or(after, |e| e.id);
    }
    latencies.sort_by(f64::total_cmp);
    Ok((percentile(&latencies, 0.5), percentile(&latencies, 0.99)))
}

fn report(engine: &str, f: &Figures) {
    println!("  tickets issued          {:>9.1} /s", f.issue_per_s);
    println!("  calls (call + finish)   {:>9.1} /s", f.calls_per_s);
    println!("  raw durable 1-row txns  {:>9.1} /s", f.raw_per_s);
    println!(
        "  {engine}: issue / raw = {:.3}, call / raw = {:.3}",
        f.issue_per_s / f.raw_per_s,
        f.calls_per_s / f.raw_per_s
    );
    println!(
        "  board latency, same instance: p50 {:.1} ms, p99 {:.1} ms",
        f.latency_same.0, f.latency_same.1
    );
    if let Some((p50, p99)) = f.latency_other {
        println!(
            "  board latency, other instance (LISTEN/NOTIFY): p50 {p50:.1} ms, p99 {p99:.1} ms"
        );
    }
}

async fn open_app(
    dir: &std::path::Path,
    url: &str,
    args: &HallBenchArgs,
    poll_ms: u64,
) -> anyhow::Result<Arc<App>> {
    let mut config = config_in(dir, url, args.workers.max(8));
    config.hall.board_poll_ms = poll_ms;
    Ok(Arc::new(
        App::open(config, Arc::new(SystemClock))
            .await
            .map_err(app_err)?,
    ))
}

async fn measure(
    dir: &std::path::Path,
    url: &str,
    args: &HallBenchArgs,
    postgres: bool,
) -> anyhow::Result<Figures> {
    let app = open_app(dir, url, args, 1000).await?;
    app.load_demo().await.map_err(app_err)?;
    app.load_demo_hall().await.map_err(app_err)?;
    let (issue_per_s, calls_per_s) = issue_and_call(Arc::clone(&app), args).await?;
    let latency_same =
        board_latency(Arc::clone(&app), Arc::clone(&app), args.latency_calls).await?;
    let latency_other = if postgres {
        // Polls too slowly to matter: only NOTIFY wakes it in time.
        let other = open_app(dir, url, args, 60_000).await?;
        Some(board_latency(Arc::clone(&app), other, args.latency_calls).await?)
    } else {
        None
    };
    drop(app);
    let n = args.tickets * 2;
    let raw_per_s = if postgres {
        raw_postgres_rate(url, n, args.workers).await?
    } else {
        raw_sqlite_rate(url, n, args.workers).await?
    };
    Ok(Figures {
        issue_per_s,
        calls_per_s,
        latency_same,
        latency_other,
        raw_per_s,
    })
}

async fn bench_sqlite(args: &HallBenchArgs) -> anyhow::Result<()> {
    println!("sqlite (temporary file, WAL, synchronous=FULL, BEGIN IMMEDIATE):");
    let dir = std::env::temp_dir().join(format!("onetrip-bench-hall-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    let result = measure(&dir, &url, args, false).await;
    let _ = std::fs::remove_dir_all(&dir);
    report("sqlite", &result?);
    Ok(())
}

async fn bench_postgres(args: &HallBenchArgs) -> anyhow::Result<()> {
    println!("postgres (fresh database, READ COMMITTED, default synchronous_commit):");
    let base = args
        .pg_url
        .clone()
        .or_else(|| std::env::var("ONETRIP_BENCH_PG_URL").ok())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let mut admin = match sqlx::PgConnection::connect(&base).await {
        Ok(c) => c,
        Err(e) => {
            println!("  skipped: PostgreSQL at {base} is unreachable ({e})");
            return Ok(());
        }
    };
    let name = format!("onetrip_bench_hall_{}", std::process::id());
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .with_context(|| format!("create database {name}"))?;
    let url = with_database(&base, &name)?;
    let dir = std::env::temp_dir().join(format!("onetrip-bench-hall-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(&dir, &url, args, true).await;
    let dropped = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    report("postgres", &result?);
    dropped.with_context(|| format!("drop database {name}"))?;
    Ok(())
}

/// Runs the hall benchmark.
pub async fn run(args: &HallBenchArgs) -> anyhow::Result<()> {
    println!(
        "OneTrip hall benchmark ({}; {} tickets, {} issuing workers, 8 windows, {} latency calls)",
        if cfg!(debug_assertions) {
            "debug build: use --release for real numbers"
        } else {
            "release build"
        },
        args.tickets,
        args.workers,
        args.latency_calls
    );
    if matches!(args.engine, EngineChoice::Sqlite | EngineChoice::Both) {
        bench_sqlite(args).await?;
    }
    if matches!(args.engine, EngineChoice::Postgres | EngineChoice::Both) {
        bench_postgres(args).await?;
    }
    Ok(())
}

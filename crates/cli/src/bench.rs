//! `onetrip bench`: numbers measured on this machine in one run.
//!
//! 1. Catalogue search latency (p50/p99) on a synthetic catalogue of
//!    `--items` entries built from the demo catalogue's real item names,
//!    departments and materials across many regions.
//! 2. HTTP throughput of the service-guide page against a trivial handler
//!    (`/healthz`) served by the same server, reported as a ratio so that
//!    the machine's own speed cancels out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use clap::Args;
use onetrip_app::demo::DEMO_CATALOGUE;
use onetrip_app::{App, Config, SystemClock};
use onetrip_domain::catalogue::CatalogueDocument;
use onetrip_search::{CatalogueIndex, SearchDoc};
use onetrip_web::{AppState, router};

/// Options.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// A specific benchmark (default: search and HTTP).
    #[command(subcommand)]
    pub what: Option<BenchWhat>,
    /// Items in the synthetic catalogue.
    #[arg(long, default_value_t = 10_000)]
    pub items: usize,
    /// Search queries to time.
    #[arg(long, default_value_t = 2_000)]
    pub queries: usize,
    /// HTTP requests per endpoint.
    #[arg(long, default_value_t = 4_000)]
    pub requests: usize,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
}

/// The benchmarks that have their own options.
#[derive(Debug, clap::Subcommand)]
pub enum BenchWhat {
    /// Case lifecycles and audited transitions per second against the raw engine.
    Cases(crate::bench_cases::CaseBenchArgs),
    /// Ticket issue and call-next throughput and board latency against the raw engine.
    Hall(crate::bench_hall::HallBenchArgs),
}

const CITIES: &[(&str, &str)] = &[
    ("武汉市", "Wuhan"),
    ("黄石市", "Huangshi"),
    ("十堰市", "Shiyan"),
    ("宜昌市", "Yichang"),
    ("襄阳市", "Xiangyang"),
    ("鄂州市", "Ezhou"),
    ("荆门市", "Jingmen"),
    ("孝感市", "Xiaogan"),
    ("荆州市", "Jingzhou"),
    ("黄冈市", "Huanggang"),
    ("咸宁市", "Xianning"),
    ("随州市", "Suizhou"),
    ("杭州市", "Hangzhou"),
    ("宁波市", "Ningbo"),
    ("温州市", "Wenzhou"),
    ("嘉兴市", "Jiaxing"),
    ("湖州市", "Huzhou"),
    ("绍兴市", "Shaoxing"),
    ("金华市", "Jinhua"),
    ("衢州市", "Quzhou"),
    ("舟山市", "Zhoushan"),
    ("台州市", "Taizhou"),
    ("丽水市", "Lishui"),
    ("德清县", "Deqing"),
    ("安吉县", "Anji"),
];

const QUERIES: &[&str] = &[
    "营业执照",
    "yyzz",
    "社保",
    "食品经营许可",
    "施工许可",
    "公积金提取",
    "护照",
    "spjyxk",
    "户口迁移",
    "退休",
    "企业设立登记",
    "环境影响评价",
    "drivers licence",
    "不动产登记",
    "kaiban qiye",
    "医师执业注册",
    "失业保险金",
    "印章",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn synthetic_docs(doc: &CatalogueDocument, n: usize) -> Vec<SearchDoc> {
    let names: std::collections::HashMap<&str, (&str, &str)> = doc
        .departments
        .iter()
        .map(|d| (d.code.as_str(), (d.name.zh.as_str(), d.name.en.as_str())))
        .collect();
    let items: Vec<_> = doc.items.iter().map(|i| &i.body).collect();
    (0..n)
        .map(|k| {
            let b = items[k % items.len()];
            let (city_zh, city_en) = CITIES[(k / items.len()) % CITIES.len()];
            let (dept_zh, dept_en) = names
                .get(b.implementing_body.as_str())
                .copied()
                .unwrap_or(("", ""));
            SearchDoc {
                code: format!("{}-{k:05}", b.code),
                name_zh: if k < items.len() {
                    b.name.zh.clone()
                } else {
                    format!("{city_zh}{}", b.name.zh)
                },
                name_en: format!("{} ({city_en})", b.name.en),
                keywords: b.keywords.clone(),
                department_zh: dept_zh.replace("武汉市", city_zh),
                department_en: dept_en.to_owned(),
                materials_zh: b.materials.iter().map(|m| m.name.zh.clone()).collect(),
                module: b.module.as_str().to_owned(),
                region: b.region.as_str().to_owned(),
            }
        })
        .collect()
}

fn bench_search(args: &BenchArgs) -> anyhow::Result<()> {
    let doc: CatalogueDocument = serde_json::from_str(DEMO_CATALOGUE)?;
    let docs = synthetic_docs(&doc, args.items);
    let synonyms: Vec<Vec<String>> = doc.synonyms.iter().map(|s| s.terms.clone()).collect();
    let start = Instant::now();
    let index = CatalogueIndex::build(&docs, &synonyms).map_err(|e| anyhow!("{e}"))?;
    let build = start.elapsed();
    let mut times = Vec::with_capacity(args.queries);
    let mut hits = 0usize;
    for i in 0..args.queries {
        let q = QUERIES[i % QUERIES.len()];
        let t = Instant::now();
        hits += index.search(q, None, 20).map_err(|e| anyhow!("{e}"))?.len();
        times.push(t.elapsed());
    }
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    println!("search: {} items indexed in {:.2?}", index.len(), build);
    println!(
        "search: {} queries  p50 {:.2?}  p99 {:.2?}  mean {:.2?}  ({} hits)",
        times.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.99),
        mean,
        hits
    );
    Ok(())
}

async fn drive(
    client: &reqwest::Client,
    url: &str,
    total: usize,
    concurrency: usize,
) -> anyhow::Result<(f64, Duration, Duration)> {
    let per = total.div_ceil(concurrency);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let client = client.clone();
        let url = url.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            for _ in 0..per {
                let t = Instant::now();
                let r = client.get(&url).send().await?;
                if !r.status().is_success() {
                    anyhow::bail!("{url} answered {}", r.status());
                }
                let _ = r.bytes().await?;
                lat.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    let elapsed = start.elapsed();
    all.sort_unstable();
    Ok((
        all.len() as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
    ))
}

async fn bench_http(args: &BenchArgs) -> anyhow::Result<()> {
    let dir = tempfile_dir()?;
    let mut config = Config::default();
    config.database.url = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    config.storage.data_dir = dir.join("data");
    config.audit.signing_key_file = dir.join("keys/audit.key");
    config.audit.checkpoint_file = dir.join("data/checkpoints.jsonl");
    let app = App::open(config, Arc::new(SystemClock))
        .await
        .map_err(|e| anyhow!("{e}"))?;
    app.load_demo().await.map_err(|e| anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let service = router(AppState::new(Arc::new(app)))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, service).await });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let base = format!("http://{addr}");
    // Warm up both paths.
    drive(&client, &format!("{base}/healthz"), 200, args.concurrency).await?;
    drive(
        &client,
        &format!("{base}/items/420100-SCJGJ-XK-001"),
        200,
        args.concurrency,
    )
    .await?;
    let (trivial, t50, t99) = drive(
        &client,
        &format!("{base}/healthz"),
        args.requests,
        args.concurrency,
    )
    .await?;
    let (guide, g50, g99) = drive(
        &client,
        &format!("{base}/items/420100-SCJGJ-XK-001"),
        args.requests,
        args.concurrency,
    )
    .await?;
    println!("http: trivial handler /healthz   {trivial:>8.0} req/s  p50 {t50:.2?}  p99 {t99:.2?}");
    println!(
        "http: service guide /items/{{code}} {guide:>8.0} req/s  p50 {g50:.2?}  p99 {g99:.2?}"
    );
    println!(
        "http: guide / trivial = {:.3}  ({} clients, {} requests each endpoint)",
        guide / trivial,
        args.concurrency,
        args.requests
    );
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("onetrip-bench-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Runs the benchmarks.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    if let Some(BenchWhat::Cases(cases)) = &args.what {
        return crate::bench_cases::run(cases).await;
    }
    if let Some(BenchWhat::Hall(hall)) = &args.what {
        return crate::bench_hall::run(hall).await;
    }
    println!(
        "OneTrip bench ({})",
        if cfg!(debug_assertions) {
            "debug build: use --release for real numbers"
        } else {
            "release build"
        }
    );
    bench_search(&args)?;
    bench_http(&args).await
}

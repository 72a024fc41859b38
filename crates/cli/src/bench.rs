//! `onetrip bench`: catalogue search latency on a synthetic catalogue and
//! HTTP throughput of the guide page against a trivial handler, both
//! measured in the same run on this machine.

use clap::Args;

/// Options.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Items in the synthetic catalogue.
    #[arg(long, default_value_t = 10_000)]
    pub items: usize,
    /// Search queries to time.
    #[arg(long, default_value_t = 2_000)]
    pub queries: usize,
    /// HTTP requests per endpoint.
    #[arg(long, default_value_t = 4_000)]
    pub requests: usize,
}

/// Runs the benchmarks.
pub async fn run(_args: BenchArgs) -> anyhow::Result<()> {
    anyhow::bail!("bench: not built yet")
}

//! Running the HTTP server with its background jobs (audit checkpoints,
//! outbox delivery, the deadline job) and graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use onetrip_app::App;
use onetrip_web::{AppState, router};

/// Serves until SIGINT/SIGTERM, checkpointing the audit chain every
/// `audit.checkpoint_interval_secs` and once more at shutdown, delivering
/// the outbox every `jobs.outbox_interval_secs` and running the deadline
/// job every `jobs.deadline_interval_secs`. The deadline job holds a lease
/// in the database, so with several instances only one runs it at a time;
/// outbox rows are claimed per row, so several workers never send one twice.
pub async fn serve(app: Arc<App>, bind: &str) -> anyhow::Result<()> {
    let addr: SocketAddr = bind
        .parse()
        .with_context(|| format!("server.bind: {bind:?} is not an address"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    println!("OneTrip 一趟办 serving at http://{local}/");
    let checkpointer = {
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(
                app.config.audit.checkpoint_interval_secs,
            ));
            loop {
                tick.tick().await;
                if let Err(e) = app.checkpoint_audit().await {
                    tracing::warn!(error = %e, "audit checkpoint failed");
                }
            }
        })
    };
    let instance = format!(
        "{}-{}",
        std::process::id(),
        onetrip_app::auth::random_token().map_err(|e| anyhow::anyhow!("{e}"))?
    );
    let transports = onetrip_app::notifications::transports(&app.config.notify)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let deliverer = {
        let (app, holder) = (Arc::clone(&app), instance.clone());
        tokio::spawn(async move {
            let mut tick =
                tokio::time::interval(Duration::from_secs(app.config.jobs.outbox_interval_secs));
            loop {
                tick.tick().await;
                match app.deliver_outbox(&transports, &holder, 100).await {
                    Ok(r) if r.claimed > 0 => tracing::info!(?r, "outbox delivered"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "outbox delivery failed"),
                }
            }
        })
    };
    let deadlines = {
        let (app, holder) = (Arc::clone(&app), instance.clone());
        tokio::spawn(async move {
            let mut tick =
                tokio::time::interval(Duration::from_secs(app.config.jobs.deadline_interval_secs));
            loop {
                tick.tick().await;
                match app.run_deadline_job(&holder).await {
                    Ok(r) if r.ran => tracing::info!(?r, "deadline job"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "deadline job failed"),
                }
            }
        })
    };
    let hall_round = {
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            let mut tick =
                tokio::time::interval(Duration::from_secs(app.config.jobs.hall_interval_secs));
            loop {
                tick.tick().await;
                match app.run_hall_jobs().await {
                    Ok(r) if r != Default::default() => tracing::info!(?r, "hall round"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "hall round failed"),
                }
            }
        })
    };
    let service =
        router(AppState::new(Arc::clone(&app))).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    checkpointer.abort();
    deliverer.abort();
    deadlines.abort();
    hall_round.abort();
    app.checkpoint_audit()
        .await
        .map_err(|e| anyhow::anyhow!("final audit checkpoint: {e}"))?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

//! Running the HTTP server with a background audit checkpointer and
//! graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use onetrip_app::App;
use onetrip_web::{AppState, router};

/// Serves until SIGINT/SIGTERM, checkpointing the audit chain every
/// `audit.checkpoint_interval_secs` and once more at shutdown.
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
    let service =
        router(AppState::new(Arc::clone(&app))).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    checkpointer.abort();
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

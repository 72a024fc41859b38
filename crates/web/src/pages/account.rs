//! `GET /account` — who I am, my roles, my live sessions;
//! `POST /account/sessions/{id}/revoke` — end one of my sessions;
//! `POST /account/sessions/revoke-all` — sign out everywhere.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use onetrip_app::auth::Principal;
use onetrip_domain::identity::mask_phone;
use onetrip_store::PrincipalKind;
use serde::Deserialize;

use crate::page::{PageCtx, PageError, PageResult, parse_form, render};
use crate::state::AppState;

/// One live session as shown.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// Sign-in time (UTC).
    pub created: String,
    /// Address.
    pub ip: String,
    /// Browser.
    pub agent: String,
    /// This request's session.
    pub current: bool,
    /// Public id of the session (a prefix of its token's hash).
    pub id: String,
}

/// The public id of a session: the first 16 hex digits of its token hash.
/// Knowing it does not allow signing in; it only names the session.
fn session_id(token_hash: &str) -> String {
    token_hash.chars().take(16).collect()
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: PageCtx,
    name: String,
    facts: Vec<(String, String)>,
    grants: Vec<String>,
    sessions: Vec<SessionRow>,
}

/// Formats microseconds as `YYYY-MM-DD HH:MM` in Beijing time.
pub fn beijing_time(micros: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    match time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000) {
        Ok(t) => {
            let t = t.to_offset(offset);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => micros.to_string(),
    }
}

/// Shows the account.
pub async fn show(State(state): State<AppState>, page: PageCtx) -> PageResult {
    let Some(session) = page.current.session.clone() else {
        return Err(PageError::sign_in(&page));
    };
    let lang = page.lang;
    let (kind, id, name, facts, grants) = match &session.principal {
        Principal::Staff(s) => {
            let roles = state
                .app
                .store
                .list_roles()
                .await
                .map_err(|e| PageError::from_app(&page, e.into()))?;
            let grants = s
                .grants
                .iter()
                .map(|g| {
                    let role = roles
                        .iter()
                        .find(|r| r.code == g.role)
                        .map(|r| lang.choose(&r.name_zh, &r.name_en).to_owned())
                        .unwrap_or_else(|| g.role.clone());
                    let mut scope = g.scope.region.as_str().to_owned();
                    if let Some(d) = &g.scope.department {
                        scope.push_str(&format!(" / {d}"));
                    }
                    if let Some(c) = &g.scope.centre {
                        scope.push_str(&format!(" / {c}"));
                    }
                    format!("{role}（{scope}）")
                })
                .collect();
            let facts = vec![
                (lang.t("login.username").to_owned(), s.username.clone()),
                (
                    lang.t("account.employment").to_owned(),
                    s.employment.label(lang.code()).to_owned(),
                ),
            ];
            (
                PrincipalKind::Staff,
                s.id,
                s.display_name.clone(),
                facts,
                grants,
            )
        }
        Principal::Applicant(a) => {
            let facts = vec![
                (lang.t("account.identity").to_owned(), a.identity.masked()),
                (lang.t("account.mobile").to_owned(), mask_phone(&a.mobile)),
            ];
            (
                PrincipalKind::Applicant,
                a.id,
                a.name.clone(),
                facts,
                Vec::new(),
            )
        }
    };
    let sessions = state
        .app
        .store
        .sessions_of(kind, id, state.app.now())
        .await
        .map_err(|e| PageError::from_app(&page, e.into()))?
        .into_iter()
        .map(|s| SessionRow {
            created: beijing_time(s.created_at_micros),
            ip: s.ip.unwrap_or_default(),
            agent: s.user_agent.unwrap_or_default(),
            current: s.token_hash == session.record.token_hash,
            id: session_id(&s.token_hash),
        })
        .collect();
    Ok(render(&AccountPage {
        page,
        name,
        facts,
        grants,
        sessions,
    }))
}

/// The submitted form.
#[derive(Debug, Default, Deserialize)]
pub struct RevokeForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf_token: String,
}

/// Ends every session of the signed-in user, this one included.
pub async fn revoke_all(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let form: RevokeForm = parse_form(&page, &body)?;
    if !page.current.csrf_ok(&form.csrf_token) {
        return Err(PageError::csrf(&page));
    }
    let Some(session) = &page.current.session else {
        return Err(PageError::sign_in(&page));
    };
    let ctx = onetrip_store::Ctx {
        actor: session.principal.actor(),
        at_micros: state.app.now(),
        ip: page.current.client.ip.clone(),
    };
    state
        .app
        .store
        .revoke_sessions_of(&ctx, session.record.kind, session.record.principal_id)
        .await
        .map_err(|e| PageError::from_app(&page, e.into()))?;
    Ok((StatusCode::SEE_OTHER, Redirect::to("/login")).into_response())
}

/// Ends one of the signed-in user's own sessions.
pub async fn revoke_one(
    State(state): State<AppState>,
    page: PageCtx,
    axum::extract::Path(id): axum::extract::Path<String>,
    body: Bytes,
) -> PageResult {
    let form: RevokeForm = parse_form(&page, &body)?;
    if !page.current.csrf_ok(&form.csrf_token) {
        return Err(PageError::csrf(&page));
    }
    let Some(session) = &page.current.session else {
        return Err(PageError::sign_in(&page));
    };
    let fail = |e: onetrip_store::StoreError| PageError::from_app(&page, e.into());
    let mine = state
        .app
        .store
        .sessions_of(
            session.record.kind,
            session.record.principal_id,
            state.app.now(),
        )
        .await
        .map_err(fail)?;
    let Some(target) = mine.iter().find(|s| session_id(&s.token_hash) == id) else {
        return Err(PageError::not_found(&page));
    };
    let ctx = onetrip_store::Ctx {
        actor: session.principal.actor(),
        at_micros: state.app.now(),
        ip: page.current.client.ip.clone(),
    };
    state
        .app
        .store
        .revoke_session(&ctx, &target.token_hash)
        .await
        .map_err(fail)?;
    let to = if target.token_hash == session.record.token_hash {
        "/login"
    } else {
        "/account"
    };
    Ok((StatusCode::SEE_OTHER, Redirect::to(to)).into_response())
}

//! Sign-in, sessions and who is acting.
//!
//! Rules: passwords are checked with Argon2id; a failed sign-in looks the
//! same whether or not the account exists (same message, same work, same
//! throttling by login name); too many failures lock the login name for a
//! while; sessions live on the server and are revocable one by one and all
//! at once; a disabled account's sessions stop working immediately.

use base64::Engine as _;
use onetrip_domain::access::StaffPrincipal;
use onetrip_store::{ApplicantRecord, Ctx, PrincipalKind, SessionRecord};
use sha2::{Digest, Sha256};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::passwords::{verify_against_dummy, verify_password};

/// Who is acting in a request.
#[derive(Debug, Clone)]
pub enum Principal {
    /// A staff member with their grants.
    Staff(StaffPrincipal),
    /// An applicant.
    Applicant(ApplicantRecord),
}

impl Principal {
    /// The actor string written to the audit chain.
    pub fn actor(&self) -> String {
        match self {
            Self::Staff(s) => format!("staff:{}", s.id),
            Self::Applicant(a) => format!("applicant:{}", a.id),
        }
    }

    /// The staff principal, or a 403 for applicants.
    pub fn staff(&self) -> AppResult<&StaffPrincipal> {
        match self {
            Self::Staff(s) => Ok(s),
            Self::Applicant(_) => Err(AppError::Forbidden("仅限工作人员 / staff only".to_owned())),
        }
    }

    /// Name to show.
    pub fn display_name(&self) -> String {
        match self {
            Self::Staff(s) => s.display_name.clone(),
            Self::Applicant(a) => a.name.clone(),
        }
    }
}

/// A resolved, live session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The stored session.
    pub record: SessionRecord,
    /// Who it belongs to.
    pub principal: Principal,
}

/// What a successful sign-in returns: the cookie token (only ever held by
/// the client; the server keeps its hash) and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Cookie value.
    pub token: String,
    /// CSRF token for forms.
    pub csrf_token: String,
    /// Who signed in.
    pub principal: Principal,
}

/// Client details recorded with a sign-in.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// Address.
    pub ip: Option<String>,
    /// User agent.
    pub user_agent: Option<String>,
}

/// A random URL-safe token of 32 bytes.
pub fn random_token() -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a session token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl App {
    fn ctx_for(&self, actor: &str, client: &ClientInfo) -> Ctx {
        Ctx {
            actor: actor.to_owned(),
            at_micros: self.now(),
            ip: client.ip.clone(),
        }
    }

    /// Signs a staff member in.
    pub async fn sign_in_staff(
        &self,
        username: &str,
        password: &str,
        client: &ClientInfo,
    ) -> AppResult<SignedIn> {
        let name = username.trim().to_lowercase();
        let key = format!("staff:{name}");
        self.refuse_if_locked(&key, client).await?;
        let staff = self.store.staff_by_username(&name).await?;
        let ok = match &staff {
            Some(s) => verify_password(password, &s.password_hash) && !s.disabled,
            None => {
                verify_against_dummy(password);
                false
            }
        };
        let principal = match (ok, staff) {
            (true, Some(s)) => self
                .store
                .staff_principal(s.id)
                .await?
                .map(Principal::Staff),
            _ => None,
        };
        match principal {
            Some(p) => {
                self.start_session(PrincipalKind::Staff, p, &key, client)
                    .await
            }
            None => Err(self.failed_attempt(&key, client).await),
        }
    }

    /// Signs an applicant in by ID number or credit code.
    pub async fn sign_in_applicant(
        &self,
        identifier: &str,
        password: &str,
        client: &ClientInfo,
    ) -> AppResult<SignedIn> {
        let ident = identifier.trim().to_uppercase();
        let key = format!("applicant:{ident}");
        self.refuse_if_locked(&key, client).await?;
        let applicant = self.store.applicant_by_identifier(&ident).await?;
        let ok = match &applicant {
            Some(a) => verify_password(password, &a.password_hash) && !a.disabled,
            None => {
                verify_against_dummy(password);
                false
            }
        };
        match (ok, applicant) {
            (true, Some(a)) => {
                self.start_session(
                    PrincipalKind::Applicant,
                    Principal::Applicant(a),
                    &key,
                    client,
                )
                .await
            }
            _ => Err(self.failed_attempt(&key, client).await),
        }
    }

    async fn refuse_if_locked(&self, key: &str, client: &ClientInfo) -> AppResult<()> {
        let state = self.store.throttle_state(key).await?;
        if state.locked_until_micros.is_some_and(|t| t > self.now()) {
            self.store
                .record_login_throttled(&self.ctx_for("anonymous", client), key)
                .await?;
            return Err(AppError::TooManyAttempts);
        }
        Ok(())
    }

    async fn failed_attempt(&self, key: &str, client: &ClientInfo) -> AppError {
        let s = &self.config.security;
        let result = self
            .store
            .record_login_failure(
                &self.ctx_for("anonymous", client),
                key,
                i64::from(s.login_max_failures),
                i64::from(s.login_window_secs) * 1_000_000,
                i64::from(s.login_lock_secs) * 1_000_000,
            )
            .await;
        match result {
            Ok(_) => AppError::BadCredentials,
            Err(e) => e.into(),
        }
    }

    async fn start_session(
        &self,
        kind: PrincipalKind,
        principal: Principal,
        key: &str,
        client: &ClientInfo,
    ) -> AppResult<SignedIn> {
        let token = random_token()?;
        let csrf_token = random_token()?;
        let now = self.now();
        let id = match &principal {
            Principal::Staff(s) => s.id,
            Principal::Applicant(a) => a.id,
        };
        let record = SessionRecord {
            token_hash: token_hash(&token),
            kind,
            principal_id: id,
            csrf_token: csrf_token.clone(),
            created_at_micros: now,
            expires_at_micros: now
                + i64::from(self.config.security.session_ttl_hours) * 3_600_000_000,
            ip: client.ip.clone(),
            user_agent: client
                .user_agent
                .as_ref()
                .map(|u| u.chars().take(200).collect()),
        };
        self.store
            .create_session(&self.ctx_for(&principal.actor(), client), &record, key)
            .await?;
        Ok(SignedIn {
            token,
            csrf_token,
            principal,
        })
    }

    /// Resolves a cookie token to a live session, re-reading the principal's
    /// grants so every request is authorised against current data.
    pub async fn session(&self, token: &str) -> AppResult<Option<Session>> {
        let Some(record) = self
            .store
            .live_session(&token_hash(token), self.now())
            .await?
        else {
            return Ok(None);
        };
        let principal = match record.kind {
            PrincipalKind::Staff => self
                .store
                .staff_principal(record.principal_id)
                .await?
                .map(Principal::Staff),
            PrincipalKind::Applicant => self
                .store
                .applicant_by_id(record.principal_id)
                .await?
                .filter(|a| !a.disabled)
                .map(Principal::Applicant),
        };
        Ok(principal.map(|principal| Session { record, principal }))
    }

    /// Ends a session (sign out).
    pub async fn sign_out(&self, session: &Session, client: &ClientInfo) -> AppResult<()> {
        let ctx = self.ctx_for(&session.principal.actor(), client);
        self.store
            .revoke_session(&ctx, &session.record.token_hash)
            .await?;
        Ok(())
    }
}

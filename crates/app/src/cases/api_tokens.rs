//! API tokens that let a department's own system pull tasks and post
//! decisions as one staff account (its grants and the negative list apply
//! unchanged). Only a hash of the token is stored; the token is shown once.

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::{Permission, Target};
use onetrip_store::{ApiTokenRecord, PrincipalKind, SessionRecord};

use crate::App;
use crate::auth::{Principal, Session, random_token, token_hash};
use crate::error::{AppError, AppResult};

/// Longest lifetime of a token.
pub const MAX_TOKEN_DAYS: u32 = 366;

impl App {
    /// Issues a token for a staff account (needs `staff.manage`). Returns the
    /// record and the token itself, which is never shown again.
    pub async fn create_api_token(
        &self,
        who: &Principal,
        staff_id: i64,
        name: &str,
        days: u32,
    ) -> AppResult<(ApiTokenRecord, String)> {
        who.staff()?
            .authorize(Permission::StaffManage, &Target::default())?;
        self.create_api_token_as(&who.actor(), staff_id, name, days)
            .await
    }

    /// Issues a token as a named actor (the CLI).
    pub async fn create_api_token_as(
        &self,
        actor: &str,
        staff_id: i64,
        name: &str,
        days: u32,
    ) -> AppResult<(ApiTokenRecord, String)> {
        let mut errors = ValidationErrors::new();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            errors.push(
                "name",
                "required",
                "请填写令牌用途（不超过60字） / name the token (at most 60 characters)",
            );
        }
        if days == 0 || days > MAX_TOKEN_DAYS {
            errors.push(
                "days",
                "out_of_range",
                format!("有效期为1至{MAX_TOKEN_DAYS}天 / 1 to {MAX_TOKEN_DAYS} days"),
            );
        }
        errors.finish(())?;
        if self.store.staff_by_id(staff_id).await?.is_none() {
            return Err(AppError::NotFound(format!("staff {staff_id}")));
        }
        let token = format!("otk_{}", random_token()?);
        let expires = self.now() + i64::from(days) * 86_400 * 1_000_000;
        let record = self
            .store
            .create_api_token(
                &self.ctx(actor),
                staff_id,
                name,
                &token_hash(&token),
                expires,
            )
            .await?;
        Ok((record, token))
    }

    /// The session of a bearer API token (`otk_…`), when the token is live
    /// and its account enabled. It acts exactly as that staff account.
    pub async fn api_token_session(&self, token: &str) -> AppResult<Option<Session>> {
        let hash = token_hash(token);
        let Some(record) = self.store.api_token(&hash, self.now()).await? else {
            return Ok(None);
        };
        let Some(staff) = self.store.staff_principal(record.staff_id).await? else {
            return Ok(None);
        };
        Ok(Some(Session {
            record: SessionRecord {
                token_hash: hash,
                kind: PrincipalKind::Staff,
                principal_id: record.staff_id,
                csrf_token: String::new(),
                created_at_micros: record.created_at,
                expires_at_micros: record.expires_at,
                ip: None,
                user_agent: Some(format!("api-token:{}", record.id)),
            },
            principal: Principal::Staff(staff),
        }))
    }

    /// Revokes a token (needs `staff.manage`).
    pub async fn revoke_api_token(&self, who: &Principal, id: i64) -> AppResult<()> {
        who.staff()?
            .authorize(Permission::StaffManage, &Target::default())?;
        Ok(self
            .store
            .revoke_api_token(&self.ctx(&who.actor()), id)
            .await?)
    }
}

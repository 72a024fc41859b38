//! Applicant registration.

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::check_password_strength;
use onetrip_domain::identity::{ApplicantIdentity, parse_mobile};
use onetrip_store::{ApplicantRecord, NewApplicant};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::passwords::hash_password;

/// A registration as submitted.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm {
    /// `natural_person` or `legal_entity`.
    pub kind: String,
    /// Resident ID number or unified social credit code.
    pub identifier: String,
    /// Name of the person or enterprise.
    pub name: String,
    /// Mobile number.
    pub mobile: String,
    /// E-mail (optional).
    pub email: String,
    /// Password.
    pub password: String,
}

impl App {
    /// Registers an applicant. The identifier's check digit is validated
    /// (GB 11643 for persons, GB 32100 for entities); all bad fields are
    /// reported together and nothing is stored.
    pub async fn register_applicant(&self, form: &RegistrationForm) -> AppResult<ApplicantRecord> {
        let mut errors = ValidationErrors::new();
        let identity = errors.check(
            "identifier",
            ApplicantIdentity::parse(&form.kind, &form.identifier),
        );
        if let Some(ApplicantIdentity::NaturalPerson(id)) = &identity
            && id.birth_date().is_some_and(|born| born > self.today())
        {
            errors.push(
                "identifier",
                "invalid_birth_date",
                "身份证号码中的出生日期晚于今天 / the birth date is in the future",
            );
        }
        let name = form.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push("name", "required", "姓名或名称必填 / the name is required");
        }
        let mobile = errors.check("mobile", parse_mobile(&form.mobile));
        let email = form.email.trim();
        if !email.is_empty() && (!email.contains('@') || email.len() > 254) {
            errors.push(
                "email",
                "invalid_email",
                "电子邮箱格式不正确 / not an e-mail address",
            );
        }
        errors.check("password", check_password_strength(&form.password));
        let (Some(identity), Some(mobile), true) = (identity, mobile, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let new = NewApplicant {
            identity,
            name: name.to_owned(),
            mobile,
            email: (!email.is_empty()).then(|| email.to_owned()),
            password_hash: hash_password(&form.password)?,
        };
        Ok(self
            .store
            .register_applicant(&self.ctx("anonymous"), &new)
            .await?)
    }
}

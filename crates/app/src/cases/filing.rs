//! Filing a case: online by the applicant (a draft) or at a window by a
//! helper on the applicant's behalf (received at once).
//!
//! Rules: an application names one published item and one of its
//! situations, or one bundle (一件事), whose items each bring the situation
//! the bundle fixes. The case is filed under the item versions published at
//! that moment; later catalogue changes never alter it. The material
//! checklist is built once, de-duplicated across the bundle's items. The
//! delivery method must be one every item offers; a courier address is
//! required for courier delivery.

use onetrip_domain::ValidationErrors;
use onetrip_domain::access::{Permission, Target};
use onetrip_domain::case::{
    ApplicationForm, CourierDetails, DeliveryMethod, IntakeChannel, build_checklist,
};
use onetrip_domain::catalogue::{DeliveryChannel, ServiceItemBody};
use onetrip_domain::identity::{ApplicantIdentity, parse_mobile};
use onetrip_domain::region::RegionCode;
use onetrip_domain::text::Text;
use onetrip_store::{ApplicantRecord, CaseRecord, ItemVersion, NewApplicant, NewCase, NewCasePart};

use crate::App;
use crate::auth::{Principal, random_token};
use crate::error::{AppError, AppResult};

/// What is applied for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyTarget {
    /// One item in one situation.
    Item {
        /// Item code.
        code: String,
        /// Situation code.
        situation: String,
    },
    /// A bundle.
    Bundle {
        /// Bundle code.
        code: String,
    },
}

/// An application as entered on the page or posted to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRequest {
    /// What for.
    pub target: ApplyTarget,
    /// The one form.
    pub form: ApplicationForm,
    /// How the result should come.
    pub delivery_method: DeliveryMethod,
    /// Courier address (courier delivery only).
    pub courier: CourierDetails,
}

/// The applicant at a window: a registered one by identifier, or a walk-in
/// recorded with name and mobile (an account without a password).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WindowApplicant {
    /// `natural_person` or `legal_entity`.
    pub kind: String,
    /// ID number or credit code.
    pub identifier: String,
    /// Name (walk-ins).
    pub name: String,
    /// Mobile (walk-ins).
    pub mobile: String,
}

fn channel_method(c: DeliveryChannel) -> DeliveryMethod {
    match c {
        DeliveryChannel::Window => DeliveryMethod::Pickup,
        DeliveryChannel::Courier => DeliveryMethod::Courier,
        DeliveryChannel::Electronic => DeliveryMethod::Electronic,
    }
}

/// The delivery methods an application may choose: those every item
/// offers, where an item that delivers electronically only (a registration
/// whose result is a record, such as 社会保险登记) sends its result
/// electronically whatever the case chose and so does not restrict the
/// choice. Without this, a bundle mixing such items with items that issue
/// paper (开办企业, 新生儿出生) could not be filed at all.
pub fn common_delivery_methods(bodies: &[&ServiceItemBody]) -> Vec<DeliveryMethod> {
    let electronic_only = |b: &ServiceItemBody| {
        !b.delivery_channels.is_empty()
            && b.delivery_channels
                .iter()
                .all(|c| *c == DeliveryChannel::Electronic)
    };
    let restricting: Vec<&&ServiceItemBody> =
        bodies.iter().filter(|b| !electronic_only(b)).collect();
    DeliveryMethod::ALL
        .iter()
        .copied()
        .filter(|m| {
            if restricting.is_empty() {
                return *m == DeliveryMethod::Electronic;
            }
            restricting
                .iter()
                .all(|b| b.delivery_channels.iter().any(|c| channel_method(*c) == *m))
        })
        .collect()
}

/// The resolved items of an application.
#[derive(Debug, Clone)]
pub struct ResolvedTarget {
    /// Title (item or bundle name).
    pub title: Text,
    /// Bundle code.
    pub bundle_code: Option<String>,
    /// Region for numbering.
    pub region: RegionCode,
    /// Service centre code ('' when none).
    pub centre_code: String,
    /// Items with their situations.
    pub items: Vec<(ItemVersion, String)>,
    /// Promise of the bundle.
    pub bundle_promise: Option<u32>,
}

impl ResolvedTarget {
    /// The item bodies.
    pub fn bodies(&self) -> Vec<&ServiceItemBody> {
        self.items.iter().map(|(v, _)| &v.body).collect()
    }
}

impl App {
    /// Resolves an application target to published item versions.
    pub async fn resolve_target(&self, target: &ApplyTarget) -> AppResult<ResolvedTarget> {
        match target {
            ApplyTarget::Item { code, situation } => {
                let v = self
                    .store
                    .published_item(code)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("item {code}")))?;
                if !v.body.situations.iter().any(|s| &s.code == situation) {
                    return Err(AppError::Invalid(ValidationErrors::single(
                        "situation",
                        "unknown_situation",
                        "请选择办理情形 / choose a situation",
                    )));
                }
                let centres = self.store.list_service_centres().await?;
                let centre = centres
                    .iter()
                    .find(|c| c.region == v.body.region)
                    .map(|c| c.code.clone())
                    .unwrap_or_default();
                Ok(ResolvedTarget {
                    title: v.body.name.clone(),
                    bundle_code: None,
                    region: v.body.region.clone(),
                    centre_code: centre,
                    items: vec![(v, situation.clone())],
                    bundle_promise: None,
                })
            }
            ApplyTarget::Bundle { code } => {
                let b = self
                    .store
                    .bundle(code)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("bundle {code}")))?;
                let mut items = Vec::new();
                for bi in &b.items {
                    let v = self.store.published_item(&bi.item).await?.ok_or_else(|| {
                        AppError::Conflict(format!(
                            "一件事中的事项 {} 暂停办理 / item {} of the bundle is not available",
                            bi.item, bi.item
                        ))
                    })?;
                    items.push((v, bi.situation.clone()));
                }
                Ok(ResolvedTarget {
                    title: b.name.clone(),
                    bundle_code: Some(b.code.clone()),
                    region: b.region.clone(),
                    centre_code: b.centre.clone(),
                    items,
                    bundle_promise: Some(b.promised_limit_days),
                })
            }
        }
    }

    fn new_case(
        &self,
        applicant_id: i64,
        channel: IntakeChannel,
        received_by: Option<i64>,
        request: &ApplicationRequest,
        resolved: &ResolvedTarget,
    ) -> AppResult<NewCase> {
        let mut errors = ValidationErrors::new();
        errors.check("form", request.form.validate());
        let methods = common_delivery_methods(&resolved.bodies());
        if !methods.contains(&request.delivery_method) {
            errors.push(
                "delivery_method",
                "not_offered",
                "该事项不提供所选送达方式 / this delivery method is not offered",
            );
        }
        if request.delivery_method == DeliveryMethod::Courier {
            errors.check("courier", request.courier.validate_address());
        }
        errors.finish(())?;
        let pairs: Vec<(&ServiceItemBody, &str)> = resolved
            .items
            .iter()
            .map(|(v, s)| (&v.body, s.as_str()))
            .collect();
        let parts = resolved
            .items
            .iter()
            .map(|(v, situation)| {
                // A bundle's promise binds every part; an item promising less keeps its own.
                let promised = match resolved.bundle_promise {
                    Some(p) => v.body.promised_limit_days.min(p),
                    None => v.body.promised_limit_days,
                };
                NewCasePart {
                    item_code: v.body.code.clone(),
                    item_version: v.version,
                    situation_code: situation.clone(),
                    department_code: v.body.implementing_body.clone(),
                    region_code: v.body.region.as_str().to_owned(),
                    name: v.body.name.clone(),
                    result_name: v.body.result.name.clone(),
                    statutory_days: v.body.statutory_limit_days,
                    promised_days: promised,
                    promised_trips: u32::from(v.body.on_site_trips),
                }
            })
            .collect();
        let courier = if request.delivery_method == DeliveryMethod::Courier {
            request.courier.clone()
        } else {
            CourierDetails::default()
        };
        Ok(NewCase {
            applicant_id,
            channel,
            received_by,
            bundle_code: resolved.bundle_code.clone(),
            region: resolved.region.clone(),
            centre_code: resolved.centre_code.clone(),
            title: resolved.title.clone(),
            form: request.form.clone(),
            checklist: build_checklist(&pairs),
            delivery_method: request.delivery_method,
            delivery: courier,
            parts,
            today: self.today(),
            status_nonce: random_token()?,
            notifications: Vec::new(),
        })
    }

    /// An applicant starts an online application: a draft they complete
    /// with materials and then submit.
    pub async fn start_application(
        &self,
        who: &Principal,
        request: &ApplicationRequest,
    ) -> AppResult<CaseRecord> {
        let Principal::Applicant(applicant) = who else {
            return Err(AppError::Forbidden(
                "网上申请由申请人本人提交；窗口人员请使用窗口收件 / staff file at the window instead".into(),
            ));
        };
        let resolved = self.resolve_target(&request.target).await?;
        let new = self.new_case(
            applicant.id,
            IntakeChannel::Online,
            None,
            request,
            &resolved,
        )?;
        Ok(self.store.open_case(&self.ctx(&who.actor()), &new).await?)
    }

    /// A helper receives an application at a window on the applicant's
    /// behalf (帮办代办): the case is received at once, the visit counted as
    /// one trip, and the applicant told.
    pub async fn receive_at_window(
        &self,
        who: &Principal,
        applicant: &WindowApplicant,
        request: &ApplicationRequest,
    ) -> AppResult<CaseRecord> {
        let staff = who.staff()?;
        let resolved = self.resolve_target(&request.target).await?;
        let target = Target {
            region: Some(resolved.region.clone()),
            department: match resolved.items.as_slice() {
                [(only, _)] => Some(only.body.implementing_body.clone()),
                _ => None,
            },
            centre: (!resolved.centre_code.is_empty()).then(|| resolved.centre_code.clone()),
        };
        staff.authorize(Permission::CaseReceive, &target)?;
        let record = self.window_applicant(who, applicant).await?;
        let mut new = self.new_case(
            record.id,
            IntakeChannel::Window,
            Some(staff.id),
            request,
            &resolved,
        )?;
        new.notifications = self.filing_notifications(&record, &new);
        Ok(self.store.open_case(&self.ctx(&who.actor()), &new).await?)
    }

    async fn window_applicant(
        &self,
        who: &Principal,
        a: &WindowApplicant,
    ) -> AppResult<ApplicantRecord> {
        let mut errors = ValidationErrors::new();
        let identity = errors.check(
            "applicant.identifier",
            ApplicantIdentity::parse(&a.kind, &a.identifier),
        );
        let Some(identity) = identity else {
            return Err(AppError::Invalid(errors));
        };
        if let Some(found) = self
            .store
            .applicant_by_identifier(identity.identifier())
            .await?
        {
            return Ok(found);
        }
        let name = a.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(
                "applicant.name",
                "required",
                "未注册的申请人请填写姓名或名称 / enter the name of an unregistered applicant",
            );
        }
        let mobile = errors.check("applicant.mobile", parse_mobile(&a.mobile));
        let (Some(mobile), true) = (mobile, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let new = NewApplicant {
            identity,
            name: name.to_owned(),
            mobile,
            email: None,
            // No password: the walk-in can register later to sign in.
            password_hash: "!walk-in".to_owned(),
        };
        Ok(self
            .store
            .register_applicant(&self.ctx(&who.actor()), &new)
            .await?)
    }
}

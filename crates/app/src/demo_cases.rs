//! Demo cases: about 300 cases in every state of the lifecycle, filed and
//! driven through the real use cases (`start_application`,
//! `receive_at_window`, materials, `App::act`) by demo applicants and demo
//! staff holding the right permissions, so the workbench, the inboxes and
//! the applicants' pages show real content with real timelines, notices,
//! certificates and audit entries.
//!
//! Rules: loaded only into a database without cases (running it twice
//! changes nothing); the same spread every time (a fixed seed); online
//! cases are filed by registered applicants, window cases by the helper of
//! the item's service centre, also for walk-in applicants without an
//! account. The system clock runs, so all cases are of today: their ages
//! differ in what was done, not in dates.

mod cast;
mod files;
mod lifecycle;
mod materials;
mod plan;
mod texts;

use onetrip_domain::access::{Permission, Target};
use onetrip_domain::case::{ApplicationForm, CourierDetails, DeliveryMethod};
use onetrip_domain::catalogue::{Audience, Bundle};
use onetrip_domain::identity::ResidentIdNumber;
use onetrip_store::{ApplicantRecord, ItemVersion};

use crate::App;
use crate::auth::Principal;
use crate::cases::filing::{ResolvedTarget, common_delivery_methods};
use crate::cases::{ApplicationRequest, ApplyTarget, WindowApplicant};
use crate::error::{AppError, AppResult};
use cast::Cast;
use plan::{Goal, Rng};

/// Regions whose items the demo cases use: each has a helper at its
/// service centre and officers for its departments.
const CASE_REGIONS: &[&str] = &["420100", "420111", "330521"];

/// What the demo cases draw on.
struct Stage {
    cast: Cast,
    items: Vec<ItemVersion>,
    bundles: Vec<Bundle>,
    applicants: Vec<ApplicantRecord>,
    pdf: Vec<u8>,
    png: Vec<u8>,
}

/// Who applies.
enum Filer {
    /// A registered applicant, online or at a window.
    Registered(ApplicantRecord),
    /// A walk-in at a window: (ID number, name, mobile).
    WalkIn(String, String, String),
}

/// One case to file.
struct Filing {
    request: ApplicationRequest,
    resolved: ResolvedTarget,
    filer: Filer,
    online: bool,
    situation_name: String,
}

impl Filing {
    fn applicant_name(&self) -> &str {
        match &self.filer {
            Filer::Registered(a) => &a.name,
            Filer::WalkIn(_, name, _) => name,
        }
    }
}

/// The region code inside an identifier: digits 1–6 of an ID number,
/// characters 3–8 of a credit code.
fn identifier_region(a: &ApplicantRecord) -> &str {
    let id = a.identity.identifier();
    let range = if a.identity.kind() == "natural_person" {
        0..6
    } else {
        2..8
    };
    id.get(range).unwrap_or("")
}

fn birth_year(a: &ApplicantRecord) -> Option<i32> {
    if a.identity.kind() != "natural_person" {
        return None;
    }
    a.identity.identifier().get(6..10)?.parse().ok()
}

fn same_city(a: &str, b: &str) -> bool {
    a.get(..4).is_some() && a.get(..4) == b.get(..4)
}

impl App {
    /// Loads the demo cases unless the database has cases already; returns
    /// how many were filed.
    pub async fn load_demo_cases(&self) -> AppResult<usize> {
        if self.store.case_counts().await?.iter().any(|(_, n)| *n > 0) {
            return Ok(0);
        }
        let items: Vec<ItemVersion> = self
            .store
            .published_items()
            .await?
            .into_iter()
            .filter(|v| CASE_REGIONS.contains(&v.body.region.as_str()))
            .collect();
        let stage = Stage {
            cast: Cast::load(self).await?,
            items,
            bundles: self.store.list_bundles().await?,
            applicants: self.store.list_applicants(1000).await?,
            pdf: files::demo_pdf(),
            png: files::demo_png(),
        };
        let mut rng = Rng::new(0x2026_1202_0E71);
        let mut made = 0;
        for goal in plan::goals(&mut rng) {
            let filing = self.choose_filing(&stage, &mut rng, goal).await?;
            self.drive_demo_case(&stage, &mut rng, goal, &filing)
                .await?;
            made += 1;
        }
        Ok(made)
    }

    /// Picks what is applied for, by whom, through which channel and with
    /// which delivery, so that the pairing is plausible: a natural person's
    /// item for a natural person of the same city, retirement for someone
    /// of retirement age, a delivery method the items offer.
    async fn choose_filing(&self, stage: &Stage, rng: &mut Rng, goal: Goal) -> AppResult<Filing> {
        for _ in 0..200 {
            let (target, audience, region, situation_name) = if rng.chance(16) {
                let Some(b) = rng.pick(&stage.bundles) else {
                    continue;
                };
                (
                    ApplyTarget::Bundle {
                        code: b.code.clone(),
                    },
                    Audience::NaturalPerson,
                    b.region.as_str().to_owned(),
                    String::new(),
                )
            } else {
                let Some(v) = rng.pick(&stage.items) else {
                    continue;
                };
                let Some(s) = rng.pick(&v.body.situations) else {
                    continue;
                };
                (
                    ApplyTarget::Item {
                        code: v.body.code.clone(),
                        situation: s.code.clone(),
                    },
                    v.body.audience,
                    v.body.region.as_str().to_owned(),
                    s.name.zh.clone(),
                )
            };
            let resolved = self.resolve_target(&target).await?;
            let retirement = resolved.title.zh.contains("退休");
            let candidates: Vec<&ApplicantRecord> = stage
                .applicants
                .iter()
                .filter(|a| match audience {
                    Audience::NaturalPerson => a.identity.kind() == "natural_person",
                    Audience::LegalEntity => a.identity.kind() == "legal_entity",
                    _ => true,
                })
                .filter(|a| same_city(identifier_region(a), &region))
                .filter(|a| !retirement || birth_year(a).is_some_and(|y| y <= 1971))
                .collect();
            let Some(applicant) = rng.pick(&candidates).copied() else {
                continue;
            };
            let methods = common_delivery_methods(&resolved.bodies());
            let methods: Vec<DeliveryMethod> = if goal == Goal::InDelivery {
                methods
                    .into_iter()
                    .filter(|m| *m != DeliveryMethod::Electronic)
                    .collect()
            } else {
                methods
            };
            let Some(method) = rng.pick(&methods).copied() else {
                continue;
            };
            let online = goal == Goal::Draft || !rng.chance(40);
            let walk_ins: Vec<_> = texts::WALK_INS
                .iter()
                .filter(|(id, _, _)| same_city(id, &region))
                .collect();
            let filer = match rng.pick(&walk_ins) {
                Some((first17, name, mobile))
                    if !online
                        && audience != Audience::LegalEntity
                        && !retirement
                        && rng.chance(30) =>
                {
                    let check = ResidentIdNumber::check_character(first17).ok_or_else(|| {
                        AppError::Internal(format!("walk-in {first17} is malformed"))
                    })?;
                    Filer::WalkIn(
                        format!("{first17}{check}"),
                        (*name).to_owned(),
                        (*mobile).to_owned(),
                    )
                }
                _ => Filer::Registered(applicant.clone()),
            };
            let (name, mobile, natural) = match &filer {
                Filer::Registered(a) => (
                    a.name.clone(),
                    a.mobile.clone(),
                    a.identity.kind() == "natural_person",
                ),
                Filer::WalkIn(_, n, m) => (n.clone(), m.clone(), true),
            };
            let contact = if natural {
                name.clone()
            } else {
                rng.pick(texts::CONTACTS)
                    .map(|c| (*c).to_owned())
                    .unwrap_or_default()
            };
            let address = rng
                .pick(texts::addresses(&region))
                .map(|a| (*a).to_owned())
                .unwrap_or_default();
            let what = if situation_name.is_empty() {
                resolved.title.zh.clone()
            } else {
                format!("{}（{situation_name}）", resolved.title.zh)
            };
            let form = ApplicationForm {
                contact_name: contact.clone(),
                contact_phone: mobile.clone(),
                contact_address: address.clone(),
                description: format!(
                    "{name}申请办理{what}。申请人承诺所提交材料真实、合法、有效，并对其真实性负责。"
                ),
            };
            let courier = if method == DeliveryMethod::Courier {
                CourierDetails {
                    recipient: contact,
                    phone: mobile,
                    address,
                    ..CourierDetails::default()
                }
            } else {
                CourierDetails::default()
            };
            return Ok(Filing {
                request: ApplicationRequest {
                    target,
                    form,
                    delivery_method: method,
                    courier,
                },
                resolved,
                filer,
                online,
                situation_name,
            });
        }
        Err(AppError::Internal(
            "demo cases: no item fits the demo applicants".into(),
        ))
    }

    /// Files the case online or at the window; returns its id and the
    /// principal who provides materials for it.
    async fn file_demo_case(&self, stage: &Stage, f: &Filing) -> AppResult<(i64, Principal)> {
        if f.online {
            let Filer::Registered(a) = &f.filer else {
                return Err(AppError::Internal("walk-ins file at a window".into()));
            };
            let who = Principal::Applicant(a.clone());
            let case = self.start_application(&who, &f.request).await?;
            return Ok((case.id, who));
        }
        let target = Target {
            region: Some(f.resolved.region.clone()),
            department: match f.resolved.items.as_slice() {
                [(only, _)] => Some(only.body.implementing_body.clone()),
                _ => None,
            },
            centre: (!f.resolved.centre_code.is_empty()).then(|| f.resolved.centre_code.clone()),
        };
        let helper = stage.cast.pick(Permission::CaseReceive, &target)?;
        let applicant = match &f.filer {
            Filer::Registered(a) => WindowApplicant {
                kind: a.identity.kind().to_owned(),
                identifier: a.identity.identifier().to_owned(),
                ..WindowApplicant::default()
            },
            Filer::WalkIn(id, name, mobile) => WindowApplicant {
                kind: "natural_person".to_owned(),
                identifier: id.clone(),
                name: name.clone(),
                mobile: mobile.clone(),
            },
        };
        let case = self
            .receive_at_window(&helper, &applicant, &f.request)
            .await?;
        Ok((case.id, helper))
    }
}

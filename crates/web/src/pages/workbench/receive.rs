//! `GET /workbench/receive` — window intake (窗口收件): the helper files an
//! application on the applicant's behalf; `POST` receives it
//! (`App::receive_at_window`) and opens the staff view of the new case.
//!
//! Rules: staff holding `case.receive` somewhere see the form; the app
//! checks the permission again in the scope of the item or bundle. A
//! registered applicant is found by ID number or credit code; a walk-in is
//! recorded with name and mobile. The case is received at once (it skips
//! the draft) and the visit counts as a trip. Bad input re-renders the form
//! with an error summary naming every field (422) and files nothing.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_app::cases::{ApplicationRequest, ApplyTarget, WindowApplicant};
use onetrip_domain::FieldError;
use onetrip_domain::access::{AccessError, Permission};
use onetrip_domain::case::{ApplicationForm, CourierDetails, DeliveryMethod, FORM_FIELDS};

use super::require_staff;
use crate::page::{PageCtx, PageError, PageResult, render_status};
use crate::pages::admin::{Opt, check_csrf, error_for, field, parse_pairs, see_other};
use crate::pages::apply::InputRow;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "workbench/receive.html")]
struct ReceivePage {
    page: PageCtx,
    kinds: Vec<Opt>,
    applicant: Vec<InputRow>,
    target: Vec<InputRow>,
    inputs: Vec<InputRow>,
    delivery: Vec<Opt>,
    courier: Vec<InputRow>,
    errors: Vec<FieldError>,
}

impl ReceivePage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        crate::page::field_id(path.as_ref())
    }
}

fn row(name: &str, path: &str, label: &'static str, value: &str, kind: &'static str) -> InputRow {
    InputRow {
        name: name.to_owned(),
        path: path.to_owned(),
        label,
        value: value.to_owned(),
        long: name == "description",
        kind,
    }
}

fn view(page: PageCtx, pairs: &[(String, String)], errors: Vec<FieldError>) -> ReceivePage {
    let lang = page.lang;
    let v = |n: &str| field(pairs, n).to_owned();
    let kind = if v("applicant_kind").is_empty() {
        "natural_person".to_owned()
    } else {
        v("applicant_kind")
    };
    let kinds = [
        ("natural_person", "register.natural_person"),
        ("legal_entity", "register.legal_entity"),
    ]
    .into_iter()
    .map(|(c, k)| Opt::new(c, lang.t(k), c == kind))
    .collect();
    let applicant = vec![
        row(
            "applicant_identifier",
            "applicant.identifier",
            lang.t("receive.identifier"),
            &v("applicant_identifier"),
            "text",
        ),
        row(
            "applicant_name",
            "applicant.name",
            lang.t("receive.name"),
            &v("applicant_name"),
            "text",
        ),
        row(
            "applicant_mobile",
            "applicant.mobile",
            lang.t("receive.mobile"),
            &v("applicant_mobile"),
            "tel",
        ),
    ];
    let target = vec![
        row(
            "item_code",
            "item_code",
            lang.t("receive.item_code"),
            &v("item_code"),
            "text",
        ),
        row(
            "situation",
            "situation",
            lang.t("receive.situation"),
            &v("situation"),
            "text",
        ),
        row(
            "bundle_code",
            "bundle_code",
            lang.t("receive.bundle_code"),
            &v("bundle_code"),
            "text",
        ),
    ];
    let inputs = FORM_FIELDS
        .iter()
        .map(|(name, zh, en)| {
            row(
                name,
                &format!("form.{name}"),
                lang.choose(zh, en),
                &v(name),
                if *name == "contact_phone" {
                    "tel"
                } else {
                    "text"
                },
            )
        })
        .collect();
    let chosen = v("delivery_method");
    let delivery = DeliveryMethod::ALL
        .iter()
        .map(|m| {
            Opt::new(
                m.as_str(),
                m.label(lang.code()),
                m.as_str() == chosen || (chosen.is_empty() && *m == DeliveryMethod::Pickup),
            )
        })
        .collect();
    let courier = [
        ("recipient", "apply.courier.recipient", "text"),
        ("phone", "apply.courier.phone", "tel"),
        ("address", "apply.courier.address", "text"),
    ]
    .into_iter()
    .map(|(n, key, kind)| {
        row(
            &format!("courier_{n}"),
            &format!("courier.{n}"),
            lang.t(key),
            &v(&format!("courier_{n}")),
            kind,
        )
    })
    .collect();
    ReceivePage {
        kinds,
        applicant,
        target,
        inputs,
        delivery,
        courier,
        errors,
        page,
    }
}

fn gate(page: &PageCtx) -> Result<onetrip_app::auth::Principal, PageError> {
    let (who, staff) = require_staff(page)?;
    if staff.has_anywhere(Permission::CaseReceive) {
        Ok(who)
    } else {
        Err(PageError::from_app(
            page,
            AppError::from(AccessError::Missing {
                permission: Permission::CaseReceive.as_str(),
            }),
        ))
    }
}

/// Shows the intake form.
pub async fn show(page: PageCtx) -> PageResult {
    gate(&page)?;
    let v = view(page, &[], Vec::new());
    Ok(render_status(StatusCode::OK, &v))
}

/// Receives the application.
pub async fn submit(State(state): State<AppState>, page: PageCtx, body: Bytes) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let who = gate(&page)?;
    let f = |n: &str| field(&pairs, n).trim().to_owned();
    let mut errors = Vec::new();
    let target = if !f("bundle_code").is_empty() {
        Some(ApplyTarget::Bundle {
            code: f("bundle_code"),
        })
    } else if !f("item_code").is_empty() {
        Some(ApplyTarget::Item {
            code: f("item_code"),
            situation: f("situation"),
        })
    } else {
        errors.push(FieldError::new(
            "item_code",
            "required",
            page.t("receive.err.target"),
        ));
        None
    };
    let delivery = DeliveryMethod::parse(&f("delivery_method"));
    if delivery.is_none() {
        errors.push(FieldError::new(
            "delivery_method",
            "required",
            page.t("receive.err.delivery"),
        ));
    }
    if let (Some(target), Some(delivery_method)) = (target, delivery) {
        let applicant = WindowApplicant {
            kind: f("applicant_kind"),
            identifier: f("applicant_identifier"),
            name: f("applicant_name"),
            mobile: f("applicant_mobile"),
        };
        let request = ApplicationRequest {
            target,
            form: ApplicationForm {
                contact_name: field(&pairs, "contact_name").to_owned(),
                contact_phone: field(&pairs, "contact_phone").to_owned(),
                contact_address: field(&pairs, "contact_address").to_owned(),
                description: field(&pairs, "description").to_owned(),
            },
            delivery_method,
            courier: CourierDetails {
                recipient: field(&pairs, "courier_recipient").to_owned(),
                phone: field(&pairs, "courier_phone").to_owned(),
                address: field(&pairs, "courier_address").to_owned(),
                ..CourierDetails::default()
            },
        };
        match state
            .app
            .receive_at_window(&who, &applicant, &request)
            .await
        {
            Ok(case) => return Ok(see_other(&format!("/workbench/cases/{}", case.id))),
            Err(AppError::Invalid(v)) => errors = v.errors,
            Err(AppError::NotFound(what)) => {
                let path = if f("bundle_code").is_empty() {
                    "item_code"
                } else {
                    "bundle_code"
                };
                errors.push(FieldError::new(
                    path,
                    "not_found",
                    format!("{}：{what}", page.t("receive.err.unknown")),
                ));
            }
            Err(e) => return Err(PageError::from_app(&page, e)),
        }
    }
    let v = view(page, &pairs, errors);
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &v))
}

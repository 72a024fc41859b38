//! `GET /apply/{item_code}` and `GET /apply/bundle/{bundle_code}` — the
//! guided online application: choose the situation (办理情形), see the
//! material checklist it brings, fill the one form, choose how the result
//! should come (only the methods every item offers) and, for courier
//! delivery, the address. `POST` to the same paths creates the draft
//! (`App::start_application`) and goes to the case page, where materials
//! are uploaded and the application submitted.
//!
//! Rules: only a signed-in applicant applies online (anonymous visitors are
//! sent to sign in and come back; staff file at the window instead). The
//! item must be published and the situation one of its own; a bundle fixes
//! each item's situation. Bad input re-renders the form with an error
//! summary naming every field (422) and creates nothing.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use onetrip_app::AppError;
use onetrip_app::cases::filing::{ResolvedTarget, common_delivery_methods};
use onetrip_app::cases::{ApplicationRequest, ApplyTarget};
use onetrip_domain::FieldError;
use onetrip_domain::case::{
    ApplicationForm, CourierDetails, DeliveryMethod, FORM_FIELDS, build_checklist,
};
use serde::Deserialize;

use crate::i18n::Lang;
use crate::page::{PageCtx, PageError, PageResult, render_status};
use crate::pages::admin::{Opt, check_csrf, error_for, field, parse_pairs, see_other};
use crate::pages::cases::require_applicant;
use crate::state::AppState;

/// One line of the checklist preview.
#[derive(Debug, Clone)]
pub struct ChecklistRow {
    /// Name.
    pub name: String,
    /// Required or the condition.
    pub required: String,
    /// Source label.
    pub source: &'static str,
    /// Filled in on the page.
    pub fillable: bool,
    /// Produced by another item of the bundle.
    pub produced_by: Option<String>,
}

/// A form field as typed.
#[derive(Debug, Clone)]
pub struct InputRow {
    /// Submitted name.
    pub name: String,
    /// Error path.
    pub path: String,
    /// Label.
    pub label: &'static str,
    /// Value.
    pub value: String,
    /// Multi-line.
    pub long: bool,
    /// Input type.
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage {
    page: PageCtx,
    action: String,
    title: String,
    guide_href: Option<String>,
    situations: Vec<Opt>,
    bundle_items: Vec<(String, String)>,
    checklist: Vec<ChecklistRow>,
    inputs: Vec<InputRow>,
    delivery: Vec<Opt>,
    courier: Vec<InputRow>,
    errors: Vec<FieldError>,
}

impl ApplyPage {
    fn err<S: AsRef<str>>(&self, path: S) -> Option<&str> {
        error_for(&self.errors, path.as_ref())
    }

    fn id_of<S: AsRef<str>>(&self, path: S) -> String {
        crate::page::field_id(path.as_ref())
    }
}

/// Query of the item form: the chosen situation.
#[derive(Debug, Default, Deserialize)]
pub struct ApplyQuery {
    /// Situation code.
    pub situation: Option<String>,
}

/// What the applicant typed.
#[derive(Debug, Clone, Default)]
struct Typed {
    form: ApplicationForm,
    delivery: String,
    courier: CourierDetails,
}

fn typed_from(pairs: &[(String, String)]) -> Typed {
    Typed {
        form: ApplicationForm {
            contact_name: field(pairs, "contact_name").to_owned(),
            contact_phone: field(pairs, "contact_phone").to_owned(),
            contact_address: field(pairs, "contact_address").to_owned(),
            description: field(pairs, "description").to_owned(),
        },
        delivery: field(pairs, "delivery_method").to_owned(),
        courier: CourierDetails {
            recipient: field(pairs, "courier_recipient").to_owned(),
            phone: field(pairs, "courier_phone").to_owned(),
            address: field(pairs, "courier_address").to_owned(),
            ..CourierDetails::default()
        },
    }
}

/// The empty form prefilled from the registries (name, address, mobile).
async fn prefilled(state: &AppState, page: &PageCtx) -> Result<Typed, PageError> {
    let who = page.require_principal()?;
    let form = state
        .app
        .prefill_form(who)
        .await
        .map_err(|e| PageError::from_app(page, e))?;
    Ok(Typed {
        courier: CourierDetails {
            recipient: form.contact_name.clone(),
            phone: form.contact_phone.clone(),
            address: form.contact_address.clone(),
            ..CourierDetails::default()
        },
        form,
        delivery: String::new(),
    })
}

fn checklist_rows(lang: Lang, resolved: &ResolvedTarget) -> Vec<ChecklistRow> {
    let pairs: Vec<_> = resolved
        .items
        .iter()
        .map(|(v, s)| (&v.body, s.as_str()))
        .collect();
    build_checklist(&pairs)
        .into_iter()
        .map(|e| ChecklistRow {
            name: lang.pick(&e.name).to_owned(),
            required: if e.required {
                lang.t("case.required").to_owned()
            } else {
                e.condition
                    .clone()
                    .unwrap_or_else(|| lang.t("case.optional").to_owned())
            },
            source: e.source.label(lang.code()),
            fillable: e.is_fillable_form(),
            produced_by: e.produced_by.clone(),
        })
        .collect()
}

fn form_inputs(lang: Lang, t: &Typed) -> (Vec<InputRow>, Vec<InputRow>) {
    let inputs = FORM_FIELDS
        .iter()
        .map(|(name, zh, en)| InputRow {
            name: (*name).to_owned(),
            path: format!("form.{name}"),
            label: lang.choose(zh, en),
            value: crate::pages::cases::form_value(&t.form, name),
            long: *name == "description",
            kind: if *name == "contact_phone" {
                "tel"
            } else {
                "text"
            },
        })
        .collect();
    let courier = [
        ("recipient", "apply.courier.recipient", &t.courier.recipient),
        ("phone", "apply.courier.phone", &t.courier.phone),
        ("address", "apply.courier.address", &t.courier.address),
    ]
    .into_iter()
    .map(|(name, key, value)| InputRow {
        name: format!("courier_{name}"),
        path: format!("courier.{name}"),
        label: lang.t(key),
        value: value.clone(),
        long: false,
        kind: if name == "phone" { "tel" } else { "text" },
    })
    .collect();
    (inputs, courier)
}

#[allow(clippy::too_many_arguments)]
fn view(
    page: PageCtx,
    action: String,
    resolved: &ResolvedTarget,
    situations: Vec<Opt>,
    guide_href: Option<String>,
    typed: &Typed,
    errors: Vec<FieldError>,
) -> ApplyPage {
    let lang = page.lang;
    let methods = common_delivery_methods(&resolved.bodies());
    let chosen = if typed.delivery.is_empty() {
        methods
            .first()
            .map(|m| m.as_str().to_owned())
            .unwrap_or_default()
    } else {
        typed.delivery.clone()
    };
    let delivery = methods
        .iter()
        .map(|m| Opt::new(m.as_str(), m.label(lang.code()), m.as_str() == chosen))
        .collect();
    let bundle_items = if resolved.bundle_code.is_some() {
        resolved
            .items
            .iter()
            .map(|(v, s)| {
                let situation = v
                    .body
                    .situations
                    .iter()
                    .find(|x| &x.code == s)
                    .map(|x| lang.pick(&x.name).to_owned())
                    .unwrap_or_else(|| s.clone());
                (lang.pick(&v.body.name).to_owned(), situation)
            })
            .collect()
    } else {
        Vec::new()
    };
    let (inputs, courier) = form_inputs(lang, typed);
    ApplyPage {
        action,
        title: lang.pick(&resolved.title).to_owned(),
        guide_href,
        situations,
        bundle_items,
        checklist: checklist_rows(lang, resolved),
        inputs,
        delivery,
        courier,
        errors,
        page,
    }
}

async fn item_page(
    state: &AppState,
    page: PageCtx,
    code: &str,
    situation: Option<String>,
    typed: &Typed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> PageResult {
    let item = state
        .app
        .store
        .published_item(code)
        .await
        .map_err(|e| PageError::from_app(&page, e.into()))?
        .ok_or_else(|| PageError::not_found(&page))?;
    let chosen = situation
        .filter(|s| item.body.situations.iter().any(|x| &x.code == s))
        .or_else(|| item.body.situations.first().map(|s| s.code.clone()))
        .unwrap_or_default();
    let resolved = state
        .app
        .resolve_target(&ApplyTarget::Item {
            code: code.to_owned(),
            situation: chosen.clone(),
        })
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let lang = page.lang;
    let situations = item
        .body
        .situations
        .iter()
        .map(|s| Opt::new(&s.code, lang.pick(&s.name), s.code == chosen))
        .collect();
    let v = view(
        page,
        format!("/apply/{code}"),
        &resolved,
        situations,
        Some(format!("/items/{code}")),
        typed,
        errors,
    );
    Ok(render_status(status, &v))
}

async fn bundle_page(
    state: &AppState,
    page: PageCtx,
    code: &str,
    typed: &Typed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> PageResult {
    let resolved = state
        .app
        .resolve_target(&ApplyTarget::Bundle {
            code: code.to_owned(),
        })
        .await
        .map_err(|e| PageError::from_app(&page, e))?;
    let v = view(
        page,
        format!("/apply/bundle/{code}"),
        &resolved,
        Vec::new(),
        None,
        typed,
        errors,
    );
    Ok(render_status(status, &v))
}

/// Shows the application form for one item.
pub async fn show_item(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    Query(q): Query<ApplyQuery>,
) -> PageResult {
    require_applicant(&page)?;
    let typed = prefilled(&state, &page).await?;
    item_page(
        &state,
        page,
        &code,
        q.situation,
        &typed,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// Shows the application form for a bundle.
pub async fn show_bundle(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
) -> PageResult {
    require_applicant(&page)?;
    let typed = prefilled(&state, &page).await?;
    bundle_page(&state, page, &code, &typed, Vec::new(), StatusCode::OK).await
}

fn request(target: ApplyTarget, typed: &Typed) -> Result<ApplicationRequest, Vec<FieldError>> {
    let delivery_method = DeliveryMethod::parse(&typed.delivery).ok_or_else(|| {
        vec![FieldError::new(
            "delivery_method",
            "required",
            "请选择送达方式 / choose a delivery method",
        )]
    })?;
    Ok(ApplicationRequest {
        target,
        form: typed.form.clone(),
        delivery_method,
        courier: typed.courier.clone(),
    })
}

async fn create(
    state: &AppState,
    page: &PageCtx,
    target: ApplyTarget,
    typed: &Typed,
) -> Result<Result<i64, Vec<FieldError>>, PageError> {
    let who = require_applicant(page)?;
    let req = match request(target, typed) {
        Ok(r) => r,
        Err(errors) => return Ok(Err(errors)),
    };
    match state.app.start_application(&who, &req).await {
        Ok(case) => Ok(Ok(case.id)),
        Err(AppError::Invalid(v)) => Ok(Err(v.errors)),
        Err(e) => Err(PageError::from_app(page, e)),
    }
}

/// Creates the draft for one item and goes to its case page.
pub async fn submit_item(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let typed = typed_from(&pairs);
    let situation = field(&pairs, "situation").to_owned();
    let target = ApplyTarget::Item {
        code: code.clone(),
        situation: situation.clone(),
    };
    match create(&state, &page, target, &typed).await? {
        Ok(id) => Ok(see_other(&format!("/cases/{id}?done=created"))),
        Err(errors) => {
            item_page(
                &state,
                page,
                &code,
                Some(situation),
                &typed,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// Creates the draft for a bundle and goes to its case page.
pub async fn submit_bundle(
    State(state): State<AppState>,
    page: PageCtx,
    Path(code): Path<String>,
    body: Bytes,
) -> PageResult {
    let pairs = parse_pairs(&page, &body)?;
    check_csrf(&page, &pairs)?;
    let typed = typed_from(&pairs);
    let target = ApplyTarget::Bundle { code: code.clone() };
    match create(&state, &page, target, &typed).await? {
        Ok(id) => Ok(see_other(&format!("/cases/{id}?done=created"))),
        Err(errors) => {
            bundle_page(
                &state,
                page,
                &code,
                &typed,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

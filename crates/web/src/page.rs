//! What every HTML page knows: language, who is signed in, the CSRF token,
//! and how pages and page errors are rendered.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use onetrip_app::AppError;
use onetrip_app::auth::Principal;
use onetrip_domain::FieldError;
use onetrip_domain::access::Permission;

use crate::i18n::Lang;
use crate::problem::{classify, operation_id};
use crate::session::{CurrentSession, LANG_COOKIE, cookie};
use crate::state::AppState;

/// The signed-in user as the layout shows them.
#[derive(Debug, Clone)]
pub struct UserBadge {
    /// Display name.
    pub name: String,
    /// True for staff.
    pub is_staff: bool,
    /// True when the admin menu applies.
    pub is_admin: bool,
}

/// Context shared by all pages.
#[derive(Debug, Clone)]
pub struct PageCtx {
    /// Interface language.
    pub lang: Lang,
    /// Signed-in user.
    pub user: Option<UserBadge>,
    /// CSRF token for forms on this page.
    pub csrf: String,
    /// Path and query of this page (for the language switch).
    pub here: String,
    /// The request's session.
    pub current: CurrentSession,
}

impl PageCtx {
    /// Looks up a message.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The HTML id of a form field, as error summaries link to it.
    pub fn field_id(&self, field: &str) -> String {
        field_id(field)
    }

    /// The language-switch link for this page.
    pub fn switch_href(&self) -> String {
        let next =
            percent_encoding::utf8_percent_encode(&self.here, percent_encoding::NON_ALPHANUMERIC);
        format!("/lang/{}?next={next}", self.lang.other().code())
    }

    /// The signed-in principal.
    pub fn principal(&self) -> Option<&Principal> {
        self.current.session.as_ref().map(|s| &s.principal)
    }

    /// The principal or an error asking to sign in.
    pub fn require_principal(&self) -> Result<&Principal, PageError> {
        self.principal().ok_or_else(|| PageError::sign_in(self))
    }
}

const ADMIN_PERMISSIONS: &[Permission] = &[
    Permission::CatalogueEdit,
    Permission::CataloguePublish,
    Permission::StaffManage,
    Permission::RoleManage,
    Permission::AuditView,
];

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let current = CurrentSession::from_request_parts(parts, state).await?;
        let lang = cookie(&parts.headers, LANG_COOKIE)
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default();
        let user = current.session.as_ref().map(|s| match &s.principal {
            Principal::Staff(p) => UserBadge {
                name: p.display_name.clone(),
                is_staff: true,
                is_admin: ADMIN_PERMISSIONS.iter().any(|perm| p.has_anywhere(*perm)),
            },
            Principal::Applicant(a) => UserBadge {
                name: a.name.clone(),
                is_staff: false,
                is_admin: false,
            },
        });
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned());
        Ok(PageCtx {
            lang,
            user,
            csrf: current.csrf_token(),
            here,
            current,
        })
    }
}

/// Renders a template as an HTML response.
pub fn render<T: Template>(template: &T) -> Response {
    render_status(StatusCode::OK, template)
}

/// Renders a template with a status code.
pub fn render_status<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: &'a PageCtx,
    status: u16,
    message: &'a str,
    errors: &'a [FieldError],
    operation_id: &'a str,
}

/// An error leaving a page handler, shown as an HTML page.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    message: String,
    errors: Vec<FieldError>,
    page: Box<PageCtx>,
    redirect: Option<String>,
}

impl PageError {
    /// From an application error.
    pub fn from_app(page: &PageCtx, err: AppError) -> Self {
        if matches!(err, AppError::Unauthenticated) {
            return Self::sign_in(page);
        }
        let (status, _) = classify(&err);
        let message = match &err {
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                page.t("error.title").to_owned()
            }
            AppError::Invalid(_) => page.t("error.summary").to_owned(),
            other => other.to_string(),
        };
        let errors = match err {
            AppError::Invalid(v) => v.errors,
            _ => Vec::new(),
        };
        Self {
            status,
            message,
            errors,
            page: Box::new(page.clone()),
            redirect: None,
        }
    }

    /// A plain error with a status and message.
    pub fn new(page: &PageCtx, status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: Vec::new(),
            page: Box::new(page.clone()),
            redirect: None,
        }
    }

    /// An error with a status, a message and the fields it concerns (shown
    /// as an error summary).
    pub fn with_errors(
        page: &PageCtx,
        status: StatusCode,
        message: impl Into<String>,
        errors: Vec<FieldError>,
    ) -> Self {
        let mut e = Self::new(page, status, message);
        e.errors = errors;
        e
    }

    /// 404.
    pub fn not_found(page: &PageCtx) -> Self {
        Self::new(
            page,
            StatusCode::NOT_FOUND,
            page.lang
                .choose("页面或事项不存在", "The page or item does not exist"),
        )
    }

    /// 403 for a failed CSRF check.
    pub fn csrf(page: &PageCtx) -> Self {
        Self::new(
            page,
            StatusCode::FORBIDDEN,
            page.lang.choose(
                "表单已过期，请返回刷新后重试",
                "The form has expired; go back, reload and try again",
            ),
        )
    }

    /// Redirect to the sign-in page, coming back here afterwards.
    pub fn sign_in(page: &PageCtx) -> Self {
        let next =
            percent_encoding::utf8_percent_encode(&page.here, percent_encoding::NON_ALPHANUMERIC);
        let mut e = Self::new(page, StatusCode::UNAUTHORIZED, page.t("nav.login"));
        e.redirect = Some(format!("/login?next={next}"));
        e
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let Some(to) = self.redirect {
            return Redirect::to(&to).into_response();
        }
        let operation_id = operation_id();
        tracing::info!(%operation_id, status = %self.status, message = %self.message, "page error");
        let mut response = render_status(
            self.status,
            &ErrorPage {
                page: &self.page,
                status: self.status.as_u16(),
                message: &self.message,
                errors: &self.errors,
                operation_id: &operation_id,
            },
        );
        if let Ok(v) = header::HeaderValue::from_str(&operation_id) {
            response.headers_mut().insert("x-operation-id", v);
        }
        response
    }
}

/// Result of a page handler.
pub type PageResult = Result<Response, PageError>;

/// The HTML id of a form field: `field-` and the path with `.`, `[`, `]` as `-`.
pub fn field_id(field: &str) -> String {
    let mut id = String::from("field-");
    for c in field.chars() {
        match c {
            '.' | '[' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// Keeps only local paths for post-login and language redirects.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Parses a form body, turning a malformed or oversized body into an HTML error.
pub fn parse_form<T: serde::de::DeserializeOwned>(
    page: &PageCtx,
    body: &[u8],
) -> Result<T, PageError> {
    serde_urlencoded::from_bytes(body).map_err(|e| {
        PageError::new(
            page,
            StatusCode::BAD_REQUEST,
            format!("{}: {e}", page.lang.choose("表单内容无效", "Invalid form")),
        )
    })
}

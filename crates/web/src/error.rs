//! The one error type at the HTTP boundary.
//!
//! Policy: a user sees a translated, generic page that names the kind of problem and a request id,
//! never a stack trace, SQL, a file path or personal data. The cause goes to the log under the same
//! request id. Handlers return `AppError`; its response carries only a marker, and the context
//! middleware (which knows the language and the request id) renders the page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// What went wrong, as the user is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400: the request was malformed (bad form encoding, invalid characters).
    BadRequest,
    /// 403: the role does not allow this.
    Forbidden,
    /// 403: the form's CSRF token was missing or wrong.
    Csrf,
    /// 404: no such page or record (also for records the user may not know exist).
    NotFound,
    /// 405: wrong method for this address.
    MethodNotAllowed,
    /// 413: the request body is too large.
    PayloadTooLarge,
    /// 500: something broke on our side.
    Internal,
    /// 507: the server's disk is full; nothing was saved.
    DiskFull,
}

impl ErrorKind {
    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Forbidden | ErrorKind::Csrf => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
        }
    }

    /// The translation key prefix (`-title` and `-body` follow).
    pub fn key(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "error-bad-request",
            ErrorKind::Forbidden => "error-forbidden",
            ErrorKind::Csrf => "error-csrf",
            ErrorKind::NotFound => "error-not-found",
            ErrorKind::MethodNotAllowed => "error-method",
            ErrorKind::PayloadTooLarge => "error-too-large",
            ErrorKind::Internal => "error-internal",
            ErrorKind::DiskFull => "error-disk-full",
        }
    }

    /// The kind for a bare status produced outside our handlers (axum's own 404/405, body limits).
    pub fn from_status(status: StatusCode) -> Option<ErrorKind> {
        Some(match status {
            StatusCode::BAD_REQUEST
            | StatusCode::UNPROCESSABLE_ENTITY
            | StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorKind::BadRequest,
            StatusCode::FORBIDDEN => ErrorKind::Forbidden,
            StatusCode::NOT_FOUND => ErrorKind::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ErrorKind::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorKind::PayloadTooLarge,
            StatusCode::INTERNAL_SERVER_ERROR => ErrorKind::Internal,
            StatusCode::INSUFFICIENT_STORAGE => ErrorKind::DiskFull,
            _ => return None,
        })
    }
}

/// Marker placed in an error response for the context middleware to render.
#[derive(Clone, Debug)]
pub struct ErrorMarker {
    /// The kind.
    pub kind: ErrorKind,
    /// The cause, for the log only.
    pub cause: Option<String>,
}

/// An error at the HTTP boundary.
#[derive(Debug)]
pub enum AppError {
    /// Shown as the page of its kind.
    Page(ErrorKind, Option<String>),
    /// Not logged in: to the login page.
    LoginRequired,
    /// The instance is sealed: to the unseal page.
    Sealed,
    /// Somewhere else first (e.g. the forced password change).
    Redirect(String),
}

#[expect(non_upper_case_globals, reason = "constructor-like shorthands read as variants at call sites")]
impl AppError {
    /// 404.
    pub const NotFound: AppError = AppError::Page(ErrorKind::NotFound, None);
    /// 403.
    pub const Forbidden: AppError = AppError::Page(ErrorKind::Forbidden, None);
    /// 400.
    pub const BadRequest: AppError = AppError::Page(ErrorKind::BadRequest, None);
    /// 413.
    pub const PayloadTooLarge: AppError = AppError::Page(ErrorKind::PayloadTooLarge, None);

    /// 500 with a cause for the log.
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        AppError::Page(ErrorKind::Internal, Some(cause.to_string()))
    }

    /// 507: the disk is full (the cause goes to the log).
    pub fn disk_full(cause: impl std::fmt::Display) -> AppError {
        AppError::Page(ErrorKind::DiskFull, Some(cause.to_string()))
    }

    /// A failed file operation: 507 when the disk is full, else 500.
    pub fn io(e: &std::io::Error) -> AppError {
        if e.kind() == std::io::ErrorKind::StorageFull {
            AppError::disk_full(e)
        } else {
            AppError::internal(e)
        }
    }
}

impl From<ozodi_store::StoreError> for AppError {
    fn from(e: ozodi_store::StoreError) -> Self {
        match e {
            ozodi_store::StoreError::NotFound => AppError::NotFound,
            ozodi_store::StoreError::DiskFull => AppError::disk_full("database: SQLITE_FULL"),
            other => AppError::internal(other),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::internal(format!("template: {e}"))
    }
}

impl From<ozodi_vault::VaultError> for AppError {
    fn from(e: ozodi_vault::VaultError) -> Self {
        AppError::internal(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::LoginRequired => Redirect::to("/login").into_response(),
            AppError::Sealed => Redirect::to("/unseal").into_response(),
            AppError::Redirect(to) => Redirect::to(&to).into_response(),
            AppError::Page(kind, cause) => {
                let mut response = kind.status().into_response();
                response.extensions_mut().insert(ErrorMarker { kind, cause });
                response
            }
        }
    }
}

//! Form bodies as name/value pairs. We parse `application/x-www-form-urlencoded` ourselves (with
//! the `form_urlencoded` crate) instead of deserialising into structs, because checkbox groups
//! repeat names and because every field then goes through a domain `parse()` with a translated
//! message, not a serde error.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;

use crate::error::AppError;

const MAX_FIELDS: usize = 256;

/// A parsed form.
#[derive(Clone, Debug, Default)]
pub struct FormPairs(Vec<(String, String)>);

impl FormPairs {
    /// Parses a body; refuses invalid UTF-8 (it decodes to U+FFFD) and absurd field counts.
    pub fn parse(body: &[u8]) -> Result<Self, AppError> {
        let mut pairs = Vec::new();
        for (name, value) in form_urlencoded::parse(body) {
            if name.contains('\u{FFFD}') || value.contains('\u{FFFD}') || pairs.len() >= MAX_FIELDS {
                return Err(AppError::BadRequest);
            }
            pairs.push((name.into_owned(), value.into_owned()));
        }
        Ok(FormPairs(pairs))
    }

    /// Pairs built by the application (a stored record shown in a form).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        FormPairs(pairs)
    }

    /// The first value of `name`, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Every value of `name` (checkbox groups).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl ozodi_domain::record::Input for FormPairs {
    fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormPairs {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::BadRequest);
        }
        let body = Bytes::from_request(req, state).await.map_err(|_| AppError::PayloadTooLarge)?;
        FormPairs::parse(&body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_repeated_names_and_cyrillic() -> Result<(), AppError> {
        let f = FormPairs::parse("role=lawyer&role=admin&name=%D2%B2%D0%B0%D1%81%D0%B0%D0%BD".as_bytes())?;
        assert_eq!(f.all("role").collect::<Vec<_>>(), vec!["lawyer", "admin"]);
        assert_eq!(f.get("name"), "Ҳасан");
        assert_eq!(f.get("absent"), "");
        Ok(())
    }

    #[test]
    fn refuses_invalid_utf8() {
        assert!(FormPairs::parse(b"name=%FF%FE").is_err());
        assert!(FormPairs::parse(b"name=\xff").is_err());
    }
}

//! The frame every page template receives: language, title, CSRF token, navigation. Templates read
//! translations through [`Page::t`]; they never decide access (the `Nav` flags were computed by
//! the authorisation function).

use std::sync::LazyLock;

use ozodi_i18n::Lang;
use sha2::{Digest, Sha256};

/// The stylesheet, embedded in the binary.
pub const CSS: &str = include_str!("../static/ozodi.css");

/// The stylesheet's address, with a content hash so browsers may cache it forever.
pub static CSS_PATH: LazyLock<String> = LazyLock::new(|| {
    let hash = hex::encode(&Sha256::digest(CSS.as_bytes())[..8]);
    format!("/static/{hash}/ozodi.css")
});

/// The alert banner's script: polls for new alerts where JavaScript runs. Embedded.
pub const ALERTS_JS: &str = include_str!("../static/alerts.js");

/// The alert script's address, with a content hash.
pub static ALERTS_JS_PATH: LazyLock<String> = LazyLock::new(|| {
    let hash = hex::encode(&Sha256::digest(ALERTS_JS.as_bytes())[..8]);
    format!("/static/{hash}/alerts.js")
});

/// The banner's text for `alerts` in `lang` (also what the poll answers).
pub fn alert_text(lang: Lang, alerts: crate::ctx::AlertBanner) -> String {
    let open = i64::try_from(alerts.open).unwrap_or(i64::MAX);
    let escalated = i64::try_from(alerts.escalated).unwrap_or(i64::MAX);
    if alerts.escalated > 0 {
        lang.t_counts("alerts-banner-escalated", &[("count", open), ("escalated", escalated)])
    } else {
        lang.t_counts("alerts-banner", &[("count", open)])
    }
}

/// Navigation facts about the logged-in user.
#[derive(Debug, Clone)]
pub struct Nav {
    /// Shown in the header.
    pub display_name: String,
    /// False during a forced password change (only the account page is reachable).
    pub full: bool,
    /// Whether to show the administration links.
    pub admin: bool,
    /// Whether to show the registry of places of detention.
    pub facilities: bool,
    /// Whether to show the intake (hotline contacts).
    pub intake: bool,
    /// Whether to show the intake figures.
    pub figures: bool,
    /// Whether to show the configuration of hotline lines.
    pub lines: bool,
    /// Whether to show the calendar of hearings and deadlines.
    pub calendar: bool,
    /// Whether to show the trainings.
    pub trainings: bool,
    /// Whether to show rehabilitation (its counts, and one's episodes).
    pub rehabilitation: bool,
    /// Whether to show the monitoring of places of detention.
    pub monitoring: bool,
    /// Whether to show the UN recommendations.
    pub un: bool,
    /// Whether to show the advocacy log (meetings, publications).
    pub advocacy: bool,
    /// Whether to show the statistics.
    pub statistics: bool,
}

/// The frame of a page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The language.
    pub lang: Lang,
    /// The translated title.
    pub title: String,
    /// The CSRF token for forms.
    pub csrf: String,
    /// The current path and query (the language switch returns here).
    pub path: String,
    /// The logged-in user, if any.
    pub nav: Option<Nav>,
    /// The urgent alerts for the user.
    pub alerts: crate::ctx::AlertBanner,
}

impl Page {
    /// A translated message.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A translated message with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        self.lang.t_args(key, &[(name, value)])
    }

    /// The languages of the switcher.
    pub fn langs(&self) -> [Lang; 3] {
        Lang::ALL
    }

    /// Whether `code` is the page's language (the switcher marks it).
    pub fn is_current(&self, code: &str) -> bool {
        self.lang.code() == code
    }

    /// The stylesheet's address.
    pub fn css(&self) -> &str {
        &CSS_PATH
    }

    /// The alert script's address.
    pub fn alerts_js(&self) -> &str {
        &ALERTS_JS_PATH
    }

    /// The banner's text: how many urgent alerts wait for the user.
    pub fn alert_text(&self) -> String {
        alert_text(self.lang, self.alerts)
    }
}

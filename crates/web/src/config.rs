//! Settings of the web layer, filled by the binary from its TOML file and `OZODI_*` variables.

use ozodi_domain::session::SessionPolicy;
use time::Duration;

/// Web settings. Holds no secrets.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Idle and absolute session timeouts.
    pub sessions: SessionPolicy,
    /// Set the `Secure` flag (and the `__Host-` cookie prefix) and trust `X-Forwarded-For` from a
    /// loopback peer: for deployments behind a TLS-terminating reverse proxy.
    pub behind_tls_proxy: bool,
    /// Failed logins allowed for one account from one client address within
    /// [`WebConfig::throttle_window`] (also the budget of unseal attempts per address).
    pub max_failures_per_account_and_client: usize,
    /// Failed logins allowed per client address, whatever the accounts, within the window.
    pub max_failures_per_client: usize,
    /// Failed logins allowed per account, from all addresses together, within the window: stops
    /// guessing spread over many addresses. Higher than the per-address limit, so that one
    /// stranger cannot lock a colleague out by typing wrong passwords for their name.
    pub max_failures_per_account: usize,
    /// The throttling window.
    pub throttle_window: Duration,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The largest evidence file accepted, in bytes (2 GiB by default).
    pub max_evidence_bytes: u64,
    /// How long an urgent alert may stay unacknowledged before it escalates to the coordinators.
    pub escalate_after: Duration,
    /// Web reports accepted from all senders together per hour (a flood stops here, whatever
    /// addresses it comes from).
    pub reports_per_hour: usize,
    /// Web reports accepted per client address per hour. The address is kept in memory only,
    /// under a keyed hash that changes at every start, and never written anywhere. Behind an onion
    /// service every sender has the same address: set it to the global limit there.
    pub reports_per_client_per_hour: usize,
    /// An SMTP server is configured: users may give an address at which they are told (never
    /// what) that notifications wait.
    pub email_notifications: bool,
    /// The public site's own address (`https://example.org/`, ending in a slash), for its
    /// sitemap, feeds and social previews; when unset, the address it is asked under.
    pub site_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            sessions: SessionPolicy::default(),
            behind_tls_proxy: false,
            max_failures_per_account_and_client: 5,
            max_failures_per_client: 20,
            max_failures_per_account: 50,
            throttle_window: Duration::minutes(15),
            max_body_bytes: 64 * 1024,
            max_evidence_bytes: 2 << 30,
            escalate_after: ozodi_domain::intake::DEFAULT_ESCALATE_AFTER,
            reports_per_hour: 60,
            reports_per_client_per_hour: 5,
            email_notifications: false,
            site_url: None,
        }
    }
}

impl WebConfig {
    /// A cookie's name: with the `__Host-` prefix when cookies are `Secure`, so a sibling
    /// sub-domain cannot plant or overwrite it.
    pub fn cookie_name(&self, base: &str) -> String {
        if self.behind_tls_proxy { format!("__Host-{base}") } else { base.to_owned() }
    }

    /// The attributes every cookie of ours carries.
    pub fn cookie_attributes(&self) -> &'static str {
        if self.behind_tls_proxy {
            "; Path=/; HttpOnly; SameSite=Strict; Secure"
        } else {
            "; Path=/; HttpOnly; SameSite=Strict"
        }
    }
}

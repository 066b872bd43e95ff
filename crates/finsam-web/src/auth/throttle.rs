//! Sign-in throttling per account and per client address (GCRA via governor). Limits are per process;
//! with several server processes behind a balancer each keeps its own count (docs/security.md).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

pub struct LoginThrottle {
    per_account: DefaultKeyedRateLimiter<String>,
    per_client: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl LoginThrottle {
    /// `per_account` attempts a minute per e-mail, `per_client` per address, each with that burst.
    pub fn new(per_account: u32, per_client: u32) -> Self {
        let q = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("non-zero"));
        Self {
            per_account: RateLimiter::keyed(q(per_account)),
            per_client: RateLimiter::keyed(q(per_client)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one attempt. `Err(seconds)` when either limit is spent: how long until a retry may pass.
    pub fn check(&self, account_key: &str, client: Option<IpAddr>) -> Result<(), u64> {
        let now = self.clock.now();
        let wait = |d: std::time::Duration| d.as_secs().max(1);
        if let Some(ip) = client
            && let Err(not_until) = self.per_client.check_key(&ip)
        {
            return Err(wait(not_until.wait_time_from(now)));
        }
        if let Err(not_until) = self.per_account.check_key(&account_key.to_lowercase()) {
            return Err(wait(not_until.wait_time_from(now)));
        }
        Ok(())
    }

    /// Forgets keys whose limits have fully recovered, so memory stays bounded.
    pub fn shrink(&self) {
        self.per_account.retain_recent();
        self.per_client.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_limit_applies_across_addresses_and_the_client_limit_across_accounts() {
        let t = LoginThrottle::new(3, 5);
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(t.check("anna@eksjo.se", Some(a)).is_ok());
        }
        let wait = t.check("ANNA@eksjo.se", Some(b)).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(t.check("bo@eksjo.se", Some(a)).is_ok());
        assert!(t.check("cia@eksjo.se", Some(a)).is_ok());
        assert!(
            t.check("dan@eksjo.se", Some(a)).is_err(),
            "a sixth attempt from one address"
        );
    }
}

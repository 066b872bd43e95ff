//! Sign-in machinery: password hashing, signed tokens, CSRF tokens, random secrets and throttling.

pub mod csrf;
pub mod jwt;
pub mod password;
pub mod secret;
pub mod throttle;

//! The password policy: long enough, and not one of the passwords everyone tries first.

/// Minimum length in characters (not bytes: "lösenord" counts eight).
pub const MIN_LENGTH: usize = 12;
/// Upper bound, so hashing cannot be turned into a denial of service.
pub const MAX_LENGTH: usize = 256;

/// Words that make a password guessable here in particular; zxcvbn already knows the world's common ones.
const LOCAL_WORDS: &[&str] = &[
    "lösenord",
    "losenord",
    "finsam",
    "samordningsförbund",
    "samordningsforbund",
    "förbund",
    "forbund",
    "sommar",
    "vinter",
    "hösten",
    "välkommen",
    "valkommen",
    "jönköping",
    "jonkoping",
    "höglandet",
    "hoglandet",
    "finnveden",
    "vätterbygden",
    "vatterbygden",
    "kansli",
    "styrelse",
    "sverige",
    "hejsan",
];

/// Checks a new password. `context` holds words the password must not lean on, such as the account's e-mail.
/// The error is a Swedish sentence for the form.
pub fn check(password: &str, context: &[&str]) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len < MIN_LENGTH {
        return Err("Lösenordet måste ha minst 12 tecken.");
    }
    if len > MAX_LENGTH {
        return Err("Lösenordet får ha högst 256 tecken.");
    }
    // "Sommar2024!!": a local word dressed up with digits and signs is the first thing anyone tries.
    let letters: String = password
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if LOCAL_WORDS.contains(&letters.as_str()) {
        return Err(
            "Lösenordet är för lätt att gissa. Välj en längre fras av ord som inte hör ihop.",
        );
    }
    let mut inputs: Vec<&str> = LOCAL_WORDS.to_vec();
    inputs.extend_from_slice(context);
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if (estimate.score() as u8) < 3 {
        return Err(
            "Lösenordet är för lätt att gissa. Välj en längre fras av ord som inte hör ihop.",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            check("kort", &[]),
            Err("Lösenordet måste ha minst 12 tecken.")
        );
        // Eleven characters, however random, are too few.
        assert!(check("Xq7#mPz!2vL", &[]).is_err());
    }

    #[test]
    fn common_passwords_are_refused_even_when_long() {
        for common in [
            "password1234",
            "123456789012",
            "qwertyuiop123",
            "Lösenord1234",
            "Sommar2024!!",
            "iloveyou1234",
        ] {
            assert!(check(common, &[]).is_err(), "{common} should be refused");
        }
    }

    #[test]
    fn the_account_email_does_not_make_a_password() {
        assert!(
            check(
                "anna.andersson@eksjo.se",
                &["anna.andersson@eksjo.se", "anna", "andersson"]
            )
            .is_err()
        );
    }

    #[test]
    fn passphrases_pass() {
        assert!(check("korv tandläkare cykelstyre", &[]).is_ok());
        assert!(check("Vx9$kq2!Lm4#Tz", &[]).is_ok());
    }
}

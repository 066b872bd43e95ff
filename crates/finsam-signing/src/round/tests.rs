//! Tests of the round state machine. Steps are often dropped here on purpose: what they hold is checked where it matters.
#![allow(unused_must_use)]

use super::*;
use chrono::TimeZone;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn signer(name: &str, email: &str, title: &str, org: &str) -> NewSigner {
    NewSigner {
        name: name.into(),
        email: EmailAddress::parse(email).unwrap(),
        title: Some(title.into()),
        organisation: Some(org.into()),
    }
}

fn three() -> Vec<NewSigner> {
    vec![
        signer(
            "Johanna Buchalle",
            "johanna.buchalle@arbetsformedlingen.example",
            "Mötesordförande",
            "Arbetsförmedlingen",
        ),
        signer(
            "Linda Johansson",
            "linda.y.johansson@arbetsformedlingen.example",
            "Sekreterare",
            "Arbetsförmedlingen",
        ),
        signer(
            "Therese Petersson",
            "therese.petersson@savsjo.example",
            "Justerare",
            "Sävsjö kommun",
        ),
    ]
}

fn t0() -> DateTime<Utc> {
    at(2024, 2, 26, 8, 0, 0)
}

fn start(ordered: bool) -> (Round, Step) {
    Round::start(
        NewRound {
            signers: three(),
            ordered,
            deadline: day(2024, 3, 8),
            message: Some("  Hej! Här är minnesanteckningarna.  ".into()),
            reminders: ReminderPolicy::default(),
            version_sha256: SHA.to_uppercase(),
        },
        t0(),
    )
    .unwrap()
}

fn evidence() -> Evidence {
    Evidence {
        client_address: Some("198.51.100.4".parse().unwrap()),
        user_agent: "Firefox".into(),
        shown_sha256: SHA.into(),
    }
}

/// Asks for a code and signs with it.
fn sign_now(r: &mut Round, i: usize, now: DateTime<Utc>) -> Step {
    let (code, _) = r.request_code(i, now).unwrap();
    r.sign(i, &code, &evidence(), now).unwrap()
}

fn wrong(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

#[test]
fn a_parallel_round_invites_everyone_with_their_own_link() {
    let (r, step) = start(false);
    assert_eq!(r.status, RoundStatus::Pending);
    assert_eq!(r.version_sha256, SHA, "kept in lower case");
    assert_eq!(
        r.message.as_deref(),
        Some("Hej! Här är minnesanteckningarna.")
    );
    assert_eq!(
        step.events,
        [
            Event::Started {
                signers: 3,
                ordered: false
            },
            Event::Invited { signer: 0 },
            Event::Invited { signer: 1 },
            Event::Invited { signer: 2 },
        ]
    );
    assert_eq!(step.invitations.len(), 3);
    for inv in &step.invitations {
        assert_eq!(inv.kind, InvitationKind::Invitation);
        let (i, ev) = r.open(inv.token.as_str(), t0()).unwrap();
        assert_eq!(i, inv.signer);
        assert_eq!(ev, Event::PageViewed { signer: i });
        assert!(r.signers[i].token_hashes[0].matches(inv.token.as_str()));
    }
    assert!(r.signers.iter().all(|s| s.status == SignerStatus::Invited));
    assert_eq!(r.who_may_act(t0()), [0, 1, 2]);
    // The stored round holds no plain token.
    let json = serde_json::to_string(&r).unwrap();
    for inv in &step.invitations {
        assert!(!json.contains(inv.token.as_str()));
    }
    assert_eq!(serde_json::from_str::<Round>(&json).unwrap(), r);
}

#[test]
fn starting_checks_signers_deadline_and_version() {
    let new = |signers: Vec<NewSigner>, deadline: NaiveDate, sha: &str| NewRound {
        signers,
        ordered: false,
        deadline,
        message: None,
        reminders: ReminderPolicy::default(),
        version_sha256: sha.into(),
    };
    let ok = day(2024, 3, 8);
    assert_eq!(
        Round::start(new(vec![], ok, SHA), t0()).unwrap_err(),
        RoundError::NoSigners
    );
    let mut twice = three();
    twice.push(signer(
        "Linda J",
        "LINDA.Y.JOHANSSON@arbetsformedlingen.example",
        "",
        "",
    ));
    assert!(matches!(
        Round::start(new(twice, ok, SHA), t0()).unwrap_err(),
        RoundError::DuplicateSigner(_)
    ));
    let mut nameless = three();
    nameless[1].name = "  ".into();
    assert_eq!(
        Round::start(new(nameless, ok, SHA), t0()).unwrap_err(),
        RoundError::NameMissing(2)
    );
    assert_eq!(
        Round::start(new(three(), day(2024, 2, 25), SHA), t0()).unwrap_err(),
        RoundError::DeadlineInPast
    );
    assert!(Round::start(new(three(), day(2024, 2, 26), SHA), t0()).is_ok());
    assert_eq!(
        Round::start(new(three(), ok, "abc"), t0()).unwrap_err(),
        RoundError::BadSha256
    );
    let mut zero = new(three(), ok, SHA);
    zero.reminders.after_days = vec![0];
    assert_eq!(
        Round::start(zero, t0()).unwrap_err(),
        RoundError::ReminderDayZero
    );
    // Empty titles and organisations are none.
    let mut blank = three();
    blank[0].title = Some(" ".into());
    let (r, _) = Round::start(new(blank, ok, SHA), t0()).unwrap();
    assert_eq!(r.signers[0].title, None);
}

#[test]
fn in_a_parallel_round_everyone_signs_in_any_order_and_the_last_makes_it_ready_to_seal() {
    let (mut r, _) = start(false);
    let s = sign_now(&mut r, 2, at(2024, 2, 28, 9, 45, 54));
    assert!(matches!(s.events[..], [Event::Signed { signer: 2, .. }]));
    assert!(s.invitations.is_empty());
    assert!(!r.ready_to_seal());
    assert_eq!(r.who_may_act(t0()), [0, 1]);
    sign_now(&mut r, 0, at(2024, 2, 28, 11, 36, 2));
    assert_eq!(r.completed_at(), None);
    let last = sign_now(&mut r, 1, at(2024, 2, 28, 13, 13, 35));
    assert_eq!(last.events.last(), Some(&Event::ReadyToSeal));
    assert!(r.ready_to_seal());
    assert_eq!(r.status, RoundStatus::Pending);
    assert_eq!(r.completed_at(), Some(at(2024, 2, 28, 13, 13, 35)));
    assert!(r.who_may_act(t0()).is_empty());
    let sig = r.signers[2].signature.as_ref().unwrap();
    assert_eq!(sig.signed_at_local, "2024-02-28 10:45:54 +01:00");
    assert_eq!(sig.title.as_deref(), Some("Justerare"));
    assert_eq!(sig.organisation.as_deref(), Some("Sävsjö kommun"));
    assert_eq!(sig.version_sha256, SHA);
    assert_eq!(sig.user_agent, "Firefox");
    assert_eq!(r.signers[2].signed_at, Some(sig.signed_at));
}

#[test]
fn an_ordered_round_invites_one_at_a_time_and_refuses_out_of_turn() {
    let (mut r, step) = start(true);
    assert_eq!(step.invitations.len(), 1);
    assert_eq!(step.invitations[0].signer, 0);
    assert_eq!(r.signers[1].status, SignerStatus::Waiting);
    assert!(r.signers[1].token_hashes.is_empty(), "no link yet");
    assert_eq!(r.who_may_act(t0()), [0]);
    assert_eq!(r.may_act(1, t0()), Err(RoundError::NotYourTurn));
    assert_eq!(
        r.request_code(2, t0()).unwrap_err(),
        RoundError::NotYourTurn
    );
    assert_eq!(
        r.sign(1, "123456", &evidence(), t0()).unwrap_err().error,
        RoundError::NotYourTurn
    );
    assert_eq!(
        r.decline(2, "123456", "Nej", t0()).unwrap_err().error,
        RoundError::NotYourTurn
    );
    let s = sign_now(&mut r, 0, t0());
    assert!(matches!(
        s.events[..],
        [
            Event::Signed { signer: 0, .. },
            Event::Invited { signer: 1 }
        ]
    ));
    assert_eq!(s.invitations.len(), 1);
    assert_eq!(s.invitations[0].signer, 1);
    assert_eq!(r.open(s.invitations[0].token.as_str(), t0()).unwrap().0, 1);
    assert_eq!(r.who_may_act(t0()), [1]);
    assert_eq!(r.may_act(2, t0()), Err(RoundError::NotYourTurn));
    let s = sign_now(&mut r, 1, t0());
    assert_eq!(s.invitations[0].signer, 2);
    let s = sign_now(&mut r, 2, t0());
    assert!(s.invitations.is_empty());
    assert_eq!(s.events.last(), Some(&Event::ReadyToSeal));
}

#[test]
fn a_link_stops_working_once_its_signer_has_signed_and_for_everyone_when_the_round_ends() {
    let (mut r, step) = start(false);
    let link = |i: usize| step.invitations[i].token.as_str().to_owned();
    sign_now(&mut r, 0, t0());
    assert_eq!(
        r.open(&link(0), t0()).unwrap_err(),
        RoundError::AlreadySigned
    );
    assert_eq!(
        r.request_code(0, t0()).unwrap_err(),
        RoundError::AlreadySigned
    );
    assert_eq!(r.open(&link(1), t0()).unwrap().0, 1);
    // Another round's link or a made-up one is unknown.
    let (_, other) = start(false);
    assert_eq!(
        r.open(other.invitations[0].token.as_str(), t0())
            .unwrap_err(),
        RoundError::UnknownLink
    );
    assert_eq!(r.open("x", t0()).unwrap_err(), RoundError::UnknownLink);
    // A decline ends it for everyone.
    let (code, _) = r.request_code(1, t0()).unwrap();
    r.decline(1, &code, "Fel datum i § 3.", t0()).unwrap();
    assert_eq!(
        r.open(&link(2), t0()).unwrap_err(),
        RoundError::NotPending(RoundStatus::Declined)
    );
    assert_eq!(
        r.open(&link(1), t0()).unwrap_err(),
        RoundError::AlreadyDeclined
    );
}

#[test]
fn a_decline_needs_a_reason_and_the_code_and_stops_the_round() {
    let (mut r, _) = start(false);
    sign_now(&mut r, 0, t0());
    let (code, _) = r.request_code(1, t0()).unwrap();
    assert_eq!(
        r.decline(1, &code, "   ", t0()).unwrap_err().error,
        RoundError::ReasonMissing
    );
    // The missing reason cost no try: the code still works.
    let refused = r.decline(1, &wrong(&code), "Fel", t0()).unwrap_err();
    assert_eq!(
        refused.error,
        RoundError::Code(CodeError::Wrong { tries_left: 4 })
    );
    let now = t0() + Duration::minutes(5);
    let step = r
        .decline(1, &code, " Beslutet i § 4 är fel återgivet. ", now)
        .unwrap();
    assert_eq!(
        step.events,
        [Event::Declined {
            signer: 1,
            reason: "Beslutet i § 4 är fel återgivet.".into()
        }]
    );
    assert_eq!(r.status, RoundStatus::Declined);
    assert_eq!(r.ended_at, Some(now));
    assert_eq!(r.signers[1].status, SignerStatus::Declined);
    assert!(r.who_may_act(now).is_empty());
    // Nobody else can sign, ask for a code, or be reminded; the round does not expire either.
    assert_eq!(
        r.request_code(2, now).unwrap_err(),
        RoundError::NotPending(RoundStatus::Declined)
    );
    assert!(r.reminders_due(at(2024, 3, 5, 0, 0, 0)).is_empty());
    assert_eq!(r.expire(at(2024, 3, 20, 0, 0, 0)), Step::default());
    assert_eq!(r.status, RoundStatus::Declined);
    assert!(!r.ready_to_seal());
    assert_eq!(
        r.seal(SHA, now).unwrap_err(),
        RoundError::NotPending(RoundStatus::Declined)
    );
}

#[test]
fn five_wrong_codes_lock_the_code_until_a_new_one_is_asked_for() {
    let (mut r, _) = start(false);
    let (code, step) = r.request_code(0, t0()).unwrap();
    assert_eq!(step.events, [Event::CodeSent { signer: 0 }]);
    for left in (0..5).rev() {
        let refused = r.sign(0, &wrong(&code), &evidence(), t0()).unwrap_err();
        let e = CodeError::Wrong { tries_left: left };
        assert_eq!(refused.error, RoundError::Code(e));
        assert_eq!(
            refused.events,
            [Event::CodeRefused {
                signer: 0,
                error: e
            }]
        );
    }
    let refused = r.sign(0, &code, &evidence(), t0()).unwrap_err();
    assert_eq!(refused.error, RoundError::Code(CodeError::TooManyTries));
    assert_eq!(r.signers[0].status, SignerStatus::Invited);
    // The count survives saving and loading the round.
    let mut r: Round = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(
        r.sign(0, &code, &evidence(), t0()).unwrap_err().error,
        RoundError::Code(CodeError::TooManyTries)
    );
    let (fresh, _) = r.request_code(0, t0()).unwrap();
    assert!(r.sign(0, &fresh, &evidence(), t0()).is_ok());
}

#[test]
fn a_code_older_than_ten_minutes_is_refused_and_a_used_code_cannot_sign_twice() {
    let (mut r, _) = start(false);
    let (code, _) = r.request_code(0, t0()).unwrap();
    let refused = r
        .sign(0, &code, &evidence(), t0() + Duration::minutes(10))
        .unwrap_err();
    assert_eq!(refused.error, RoundError::Code(CodeError::Expired));
    assert_eq!(
        refused.error.to_string(),
        "Koden gäller i 10 minuter och har gått ut. Begär en ny kod."
    );
    assert_eq!(
        r.sign(1, "123456", &evidence(), t0()).unwrap_err().error,
        RoundError::Code(CodeError::NoCode)
    );
    let (code, _) = r.request_code(0, t0() + Duration::minutes(11)).unwrap();
    r.sign(0, &code, &evidence(), t0() + Duration::minutes(20))
        .unwrap();
    assert_eq!(
        r.sign(0, &code, &evidence(), t0() + Duration::minutes(20))
            .unwrap_err()
            .error,
        RoundError::AlreadySigned
    );
}

#[test]
fn the_signed_version_must_be_the_one_shown() {
    let (mut r, _) = start(false);
    let (code, _) = r.request_code(0, t0()).unwrap();
    let mut ev = evidence();
    ev.shown_sha256 = "0".repeat(64);
    assert_eq!(
        r.sign(0, &code, &ev, t0()).unwrap_err().error,
        RoundError::VersionChanged
    );
    // Refused before the code was looked at: it still works.
    assert!(r.sign(0, &code, &evidence(), t0()).is_ok());
}

#[test]
fn the_deadline_ends_at_23_59_59_stockholm_in_winter_and_summer() {
    // Winter (+01:00): 23:59:59 local is 22:59:59 UTC.
    assert_eq!(
        deadline_ends_at(day(2024, 3, 8)),
        at(2024, 3, 8, 22, 59, 59)
    );
    // Summer (+02:00): 21:59:59 UTC.
    assert_eq!(
        deadline_ends_at(day(2024, 6, 14)),
        at(2024, 6, 14, 21, 59, 59)
    );
    // The days the clocks change.
    assert_eq!(
        deadline_ends_at(day(2024, 3, 31)),
        at(2024, 3, 31, 21, 59, 59)
    );
    assert_eq!(
        deadline_ends_at(day(2024, 10, 27)),
        at(2024, 10, 27, 22, 59, 59)
    );

    // Winter: usable through the last second, expired from midnight.
    let (mut r, _) = start(false);
    assert_eq!(r.ends_at(), at(2024, 3, 8, 22, 59, 59));
    let last = at(2024, 3, 8, 22, 59, 59) + Duration::milliseconds(999);
    assert_eq!(r.who_may_act(last), [0, 1, 2]);
    assert_eq!(r.expire(last), Step::default());
    let midnight = at(2024, 3, 8, 23, 0, 0);
    assert_eq!(r.may_act(0, midnight), Err(RoundError::PastDeadline));
    assert!(r.who_may_act(midnight).is_empty());
    let step = r.expire(midnight);
    assert_eq!(step.events, [Event::Expired]);
    assert_eq!(r.status, RoundStatus::Expired);
    assert_eq!(r.ended_at, Some(midnight));
    assert_eq!(r.expire(midnight), Step::default(), "only once");
    assert_eq!(
        r.may_act(0, midnight),
        Err(RoundError::NotPending(RoundStatus::Expired))
    );

    // Summer.
    let (mut r, _) = Round::start(
        NewRound {
            signers: three(),
            ordered: false,
            deadline: day(2024, 6, 14),
            message: None,
            reminders: ReminderPolicy::default(),
            version_sha256: SHA.into(),
        },
        at(2024, 6, 1, 8, 0, 0),
    )
    .unwrap();
    assert_eq!(r.expire(at(2024, 6, 14, 21, 59, 59)), Step::default());
    let (code, _) = r.request_code(0, at(2024, 6, 14, 21, 55, 0)).unwrap();
    assert_eq!(r.expire(at(2024, 6, 14, 22, 0, 0)).events, [Event::Expired]);
    // A code asked for before the end cannot be used after it.
    assert_eq!(
        r.sign(0, &code, &evidence(), at(2024, 6, 14, 22, 0, 1))
            .unwrap_err()
            .error,
        RoundError::NotPending(RoundStatus::Expired)
    );
}

#[test]
fn a_code_typed_after_the_deadline_is_refused_even_before_the_expiry_job_ran() {
    let (mut r, _) = start(false);
    let (code, _) = r.request_code(0, at(2024, 3, 8, 22, 58, 0)).unwrap();
    assert_eq!(
        r.sign(0, &code, &evidence(), at(2024, 3, 8, 23, 0, 0))
            .unwrap_err()
            .error,
        RoundError::PastDeadline
    );
    assert_eq!(r.status, RoundStatus::Pending);
}

#[test]
fn a_round_where_everyone_signed_does_not_expire_but_waits_for_its_seal() {
    let (mut r, _) = start(false);
    for i in 0..3 {
        sign_now(&mut r, i, t0());
    }
    assert_eq!(r.expire(at(2024, 4, 1, 0, 0, 0)), Step::default());
    assert!(r.ready_to_seal());
    let final_sha = "ab".repeat(32);
    let step = r
        .seal(&final_sha.to_uppercase(), at(2024, 4, 1, 0, 0, 0))
        .unwrap();
    assert_eq!(
        step.events,
        [Event::Sealed {
            sha256: final_sha.clone()
        }]
    );
    assert_eq!(r.status, RoundStatus::Sealed);
    assert_eq!(r.seal.as_ref().unwrap().sha256, final_sha);
    assert!(!r.ready_to_seal());
    assert_eq!(
        r.seal(&final_sha, t0()).unwrap_err(),
        RoundError::NotPending(RoundStatus::Sealed)
    );
}

#[test]
fn sealing_needs_every_signature_and_a_real_hash() {
    let (mut r, _) = start(false);
    sign_now(&mut r, 0, t0());
    assert_eq!(r.seal(SHA, t0()).unwrap_err(), RoundError::NotReadyToSeal);
    sign_now(&mut r, 1, t0());
    sign_now(&mut r, 2, t0());
    assert_eq!(r.seal("nope", t0()).unwrap_err(), RoundError::BadSha256);
    assert!(r.seal(SHA, t0()).is_ok());
}

#[test]
fn reminders_go_after_3_and_7_days_to_those_who_have_not_signed() {
    let (mut r, _) = start(false);
    let d = |days: i64, hours: i64| t0() + Duration::days(days) + Duration::hours(hours);
    assert!(r.reminders_due(d(2, 23)).is_empty());
    sign_now(&mut r, 1, d(1, 0));
    assert_eq!(r.reminders_due(d(3, 0)), [0, 2]);
    assert_eq!(
        r.remind(1, d(3, 0)).unwrap_err(),
        RoundError::ReminderNotDue
    );
    let step = r.remind(0, d(3, 0)).unwrap();
    assert_eq!(step.events, [Event::Reminded { signer: 0 }]);
    assert_eq!(step.invitations[0].kind, InvitationKind::Reminder);
    // Both the first link and the reminder's work.
    assert_eq!(r.signers[0].token_hashes.len(), 2);
    assert_eq!(
        r.open(step.invitations[0].token.as_str(), d(3, 0))
            .unwrap()
            .0,
        0
    );
    assert_eq!(r.reminders_due(d(3, 1)), [2]);
    assert_eq!(
        r.remind(0, d(3, 1)).unwrap_err(),
        RoundError::ReminderNotDue
    );
    r.remind(2, d(3, 1)).unwrap();
    assert!(r.reminders_due(d(6, 0)).is_empty());
    assert_eq!(r.reminders_due(d(7, 0)), [0, 2]);
    r.remind(0, d(7, 0)).unwrap();
    r.remind(2, d(7, 0)).unwrap();
    assert!(r.reminders_due(d(9, 0)).is_empty(), "no third reminder");
    assert_eq!(r.signers[0].reminders_sent, 2);
    assert_eq!(r.signers[0].last_reminded_at, Some(d(7, 0)));
}

#[test]
fn a_missed_reminder_run_sends_one_reminder_not_two() {
    let (mut r, _) = Round::start(
        NewRound {
            signers: three(),
            ordered: false,
            deadline: day(2024, 3, 31),
            message: None,
            reminders: ReminderPolicy::default(),
            version_sha256: SHA.into(),
        },
        t0(),
    )
    .unwrap();
    let late = t0() + Duration::days(8);
    assert_eq!(r.reminders_due(late), [0, 1, 2]);
    r.remind(0, late).unwrap();
    assert_eq!(r.signers[0].reminders_sent, 2);
    assert_eq!(r.reminders_due(late + Duration::days(1)), [1, 2]);
}

#[test]
fn no_reminders_after_the_deadline() {
    // Deadline 2024-03-01, invited 2024-02-26: the 7-day reminder (2024-03-04) would fall after it.
    let (mut r, _) = Round::start(
        NewRound {
            signers: three(),
            ordered: false,
            deadline: day(2024, 3, 1),
            message: None,
            reminders: ReminderPolicy::default(),
            version_sha256: SHA.into(),
        },
        t0(),
    )
    .unwrap();
    assert_eq!(r.reminders_due(t0() + Duration::days(3)), [0, 1, 2]);
    assert!(r.reminders_due(t0() + Duration::days(7)).is_empty());
    assert_eq!(
        r.remind(0, t0() + Duration::days(7)).unwrap_err(),
        RoundError::ReminderNotDue
    );
    // Not even before the expiry job has run: the deadline itself decides.
    assert_eq!(r.status, RoundStatus::Pending);
    assert!(r.reminders_due(at(2024, 3, 1, 23, 0, 0)).is_empty());
}

#[test]
fn reminders_are_configurable_and_count_from_each_signers_own_invitation() {
    let (mut r, _) = Round::start(
        NewRound {
            signers: three(),
            ordered: true,
            deadline: day(2024, 3, 31),
            message: None,
            reminders: ReminderPolicy {
                after_days: vec![5, 2, 5],
            },
            version_sha256: SHA.into(),
        },
        t0(),
    )
    .unwrap();
    assert_eq!(r.reminders.after_days, [2, 5], "sorted, once each");
    assert_eq!(r.reminders_due(t0() + Duration::days(2)), [0]);
    // The second signer is invited on day 4 and is due for a reminder two days after that.
    sign_now(&mut r, 0, t0() + Duration::days(4));
    assert!(r.reminders_due(t0() + Duration::days(5)).is_empty());
    assert_eq!(r.reminders_due(t0() + Duration::days(6)), [1]);
    // Waiting signers get none.
    assert!(!r.reminders_due(t0() + Duration::days(20)).contains(&2));
}

#[test]
fn only_a_declined_or_expired_round_restarts_as_a_new_round_with_the_same_signers() {
    let (mut r, first) = start(true);
    assert_eq!(
        r.restart(day(2024, 3, 20), t0()).unwrap_err(),
        RoundError::CannotRestart
    );
    sign_now(&mut r, 0, t0());
    let (code, _) = r.request_code(1, t0()).unwrap();
    r.decline(1, &code, "Fel namn på justeraren.", t0())
        .unwrap();
    let later = at(2024, 3, 1, 9, 0, 0);
    assert_eq!(
        r.restart(day(2024, 2, 29), later).unwrap_err(),
        RoundError::DeadlineInPast
    );
    let (n, step) = r.restart(day(2024, 3, 20), later).unwrap();
    assert_eq!(n.status, RoundStatus::Pending);
    assert!(n.ordered);
    assert_eq!(n.deadline, day(2024, 3, 20));
    assert_eq!(n.version_sha256, r.version_sha256);
    assert_eq!(n.message, r.message);
    assert_ne!(n.reference, r.reference);
    assert_eq!(
        n.signers.iter().map(|s| &s.email).collect::<Vec<_>>(),
        r.signers.iter().map(|s| &s.email).collect::<Vec<_>>()
    );
    assert_eq!(n.signers[0].status, SignerStatus::Invited, "signs again");
    assert!(n.signers[0].signature.is_none());
    assert_eq!(step.invitations.len(), 1);
    // The old round's links do not open the new one.
    assert_eq!(
        n.open(first.invitations[0].token.as_str(), later)
            .unwrap_err(),
        RoundError::UnknownLink
    );
    assert_eq!(
        n.open(step.invitations[0].token.as_str(), later).unwrap().0,
        0
    );
    assert_eq!(r.status, RoundStatus::Declined);
    let (mut e, _) = start(false);
    let _ = e.expire(at(2024, 3, 9, 0, 0, 0));
    assert!(e.restart(day(2024, 3, 20), at(2024, 3, 9, 0, 0, 0)).is_ok());
}

#[test]
fn an_unknown_signer_index_is_an_unknown_link() {
    let (mut r, _) = start(false);
    assert_eq!(r.may_act(7, t0()), Err(RoundError::UnknownLink));
    assert_eq!(
        r.request_code(7, t0()).unwrap_err(),
        RoundError::UnknownLink
    );
}

#[test]
fn errors_read_well_in_swedish() {
    assert_eq!(
        RoundError::NotPending(RoundStatus::Declined).to_string(),
        "Underskriften är avslutad: en undertecknare har avböjt."
    );
    assert_eq!(
        RoundError::Code(CodeError::Wrong { tries_left: 2 }).to_string(),
        "Fel kod. Du har 2 försök kvar."
    );
    assert!(RoundError::NotYourTurn.to_string().contains("inte din tur"));
    assert_eq!(RoundStatus::Sealed.as_str(), "sealed");
    assert_eq!(SignerStatus::Invited.as_str(), "invited");
    assert_eq!(
        serde_json::to_value(Event::CodeRefused {
            signer: 1,
            error: CodeError::Wrong { tries_left: 3 }
        })
        .unwrap(),
        serde_json::json!({"event": "code_refused", "signer": 1, "error": {"error": "wrong", "tries_left": 3}})
    );
}

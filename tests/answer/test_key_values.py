"""Reading a question's key value from its evidence sentence: pure functions, no model, no index."""

import pytest

from assistant.answer.key_values import key_value

ASSIGNMENT = ("The Supplier shall not assign, novate or otherwise transfer this Agreement without the prior written consent "
              "of the Customer, such consent not to be unreasonably withheld.")
SOLICIT = "During the Term neither party shall solicit or hire any employee of the other party engaged in the Services."


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # one negation over what is asked: no
        ("Can the Supplier assign the agreement?", ASSIGNMENT, "No"),
        ("Can a party hire the other party's staff?", SOLICIT, "No"),
        ("Can the Supplier terminate for convenience?", "The Supplier has no right to terminate this Agreement for convenience.", "No"),
        # "not ... without consent": the two negations cancel, consent is needed
        ("Is consent needed to assign or transfer this contract?", ASSIGNMENT, "Yes"),
        ("Does an assignment require the Customer's consent?", ASSIGNMENT, "Yes"),
        # the question asks about the negated case: "without consent" against "not ... without consent"
        ("Can the Supplier assign the agreement without consent?", ASSIGNMENT, "No"),
        # a negation over words the question does not ask about says nothing
        ("Can the agreement be terminated without a reason?",
         "Either party may terminate this Agreement without cause on ninety (90) days' written notice.", "Yes"),
        ("Can the Customer audit the Supplier's records?",
         "The Customer may audit the Supplier's records once a year; no audit shall disrupt the Services.", "Yes"),
    ],
)
def test_yes_or_no_is_the_parity_of_the_negations_over_what_is_asked(question, sentence, value):
    assert key_value("yesno", sentence, question) == value


def test_a_later_separate_negation_does_not_cancel_the_first():
    sentence = ("The Supplier shall not assign this Agreement to any third party, and the Customer shall have no liability for "
                "any charges the Supplier incurs in connection with such assignment.")
    assert key_value("yesno", sentence, "Can the Supplier assign this Agreement?") == "No"


def test_a_negation_of_who_is_liable_is_not_a_no_to_what_is_asked():
    """"Neither party shall have any other liability ... resulting from the termination for convenience" takes it
    that a party may terminate for convenience: the negation governs the party's liability, not the termination."""
    sentence = ("Neither party shall have any other liability, including payment obligations, resulting from the termination "
                "for convenience of this Agreement.")
    assert key_value("yesno", sentence, "Can either party terminate for convenience?") == "Yes"
    assert key_value("yesno", "Neither party may terminate this Agreement for convenience.",
                     "Can either party terminate for convenience?") == "No"


def test_a_cap_written_as_the_price_paid_is_read_from_the_shared_vocabulary():
    sentence = ("eGain's entire liability under this Agreement for any damages from any cause whatsoever shall in no event exceed "
                "an amount equal to the price paid for the Services out of which the claim arose.")
    assert key_value("amount", sentence, "What is the cap on liability?") == (
        "an amount equal to the price paid for the Services out of which the claim arose")


def test_a_term_given_by_its_first_and_last_days_is_the_term_not_its_notice():
    term = 'The term of this Agreement will commence on January 1, 1998 (the "Effective Date") and will end on December 31, 1998.'
    assert key_value("period", term, "How long is the initial term?") == "January 1, 1998 to December 31, 1998"
    notice = ("Either party may elect not to extend the term beyond December 31, 1998 by giving ninety days' prior written "
              "notice.")
    assert key_value("period", notice, "How much notice is needed to stop the term being extended?") == "ninety days' prior written notice"

"""factory_boy factories for synthetic test data (never real people)."""

from datetime import date

import factory

from cases import models as cases_models


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases_models.Child

    given_name = factory.Iterator(["Ava", "Noah", "Mia", "Leo", "Zara", "Kai", "Ruby", "Omar"])
    family_name = factory.Sequence(lambda n: f"Testchild{n}")
    date_of_birth = date(2008, 5, 17)
    sex = factory.Iterator(["M", "F"])
    ethnicity = "white"
    locality = "North"


class OffenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cases_models.Offence

    child = factory.SubFactory(ChildFactory)
    offence_date = date(2023, 3, 1)
    category = "theft_and_handling"
    seriousness_score = 2


class OutcomeFactory(factory.django.DjangoModelFactory):
    """An outcome for ``offences`` (default: one new offence of the child)."""

    class Meta:
        model = cases_models.Outcome
        skip_postgeneration_save = True

    child = factory.SubFactory(ChildFactory)
    outcome_date = date(2023, 4, 1)
    outcome_type = "referral_order"
    yjs_intervention = True

    @factory.post_generation
    def offences(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [OffenceFactory(child=self.child, offence_date=self.outcome_date)]
        self.offences.set(extracted)

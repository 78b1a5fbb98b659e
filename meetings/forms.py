from __future__ import annotations

from django import forms

from core.forms import UKDateField
from delivery.models import Activity, Commitment, OversightBody, Owner

from .models import Action, Meeting

WIDE = "govuk-!-width-full"


def _activities():
    return Activity.objects.select_related("commitment").order_by(
        "commitment__plan__name", "commitment__ref_key", "position"
    )


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_ref} {obj.text[:80]}"


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.ref} {obj.text[:80]}"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=Meeting.Kind.choices, widget=forms.RadioSelect)
    held_on = UKDateField(label="Date")
    subject_area = forms.CharField(
        label="Subject area",
        max_length=300,
        help_text='For example, "Connecting with Communities" or "Investigations and Outcome 16".',
        widget=forms.TextInput(attrs={"class": WIDE}),
    )
    oversight_body = forms.ModelChoiceField(
        label="Oversight body", queryset=OversightBody.objects.order_by("name"), required=False, empty_label="None"
    )
    attendees = forms.CharField(
        label="Attendees", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One a line."
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paragraphs, headings (h2–h4), bold, italic, lists and links are kept; anything else is removed.",
    )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        return {
            "kind": meeting.kind,
            "held_on": meeting.held_on,
            "subject_area": meeting.subject_area,
            "oversight_body": meeting.oversight_body,
            "attendees": meeting.attendees,
            "notes": meeting.notes,
        }


class FindingForm(forms.Form):
    text = forms.CharField(label="Finding or outcome", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    for_panel = forms.BooleanField(label="For the panel report", required=False)


class EditableListFormSet(forms.BaseFormSet):
    """A formset whose save can be refused as a whole: the service's reason goes in its error summary."""

    def add_non_form_errors(self, messages) -> None:
        self.non_form_errors()  # makes the list, if the formset has not been cleaned yet
        self._non_form_errors.extend(messages)


FindingFormSet = forms.formset_factory(
    FindingForm, formset=EditableListFormSet, extra=3, can_order=False, can_delete=True
)


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        label="Agenda item", required=False, max_length=500, widget=forms.TextInput(attrs={"class": WIDE})
    )
    commitment = CommitmentChoiceField(
        label="Commitment", queryset=Commitment.objects.order_by("plan__name", "ref_key"), required=False
    )
    activity = ActivityChoiceField(label="Activity", queryset=_activities(), required=False)
    kpi_ref = forms.CharField(
        label="KPI", required=False, max_length=200, help_text='Its reference or name, e.g. "KPI 7".'
    )

    def clean(self):
        data = super().clean()
        linked = data.get("commitment") or data.get("activity") or (data.get("kpi_ref") or "").strip()
        if linked and not (data.get("title") or "").strip() and not data.get("DELETE"):
            self.add_error("title", "Give the agenda item a title, or tick Delete to remove it.")
        activity, commitment = data.get("activity"), data.get("commitment")
        if activity is not None and commitment is not None and activity.commitment_id != commitment.pk:
            self.add_error("activity", "The activity is not under the commitment chosen; choose one or the other.")
        return data


AgendaFormSet = forms.formset_factory(AgendaItemForm, formset=EditableListFormSet, extra=2, can_delete=True)


class ActionForm(forms.Form):
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    owners = forms.ModelMultipleChoiceField(
        label="Owner/s",
        queryset=Owner.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )
    due_date = UKDateField(label="Due date", required=False)
    activity = ActivityChoiceField(label="Linked activity", queryset=_activities(), required=False)
    commitment = CommitmentChoiceField(
        label="Linked commitment",
        queryset=Commitment.objects.order_by("plan__name", "ref_key"),
        required=False,
        help_text="Or a commitment, when the action is about the commitment as a whole.",
    )
    kpi_ref = forms.CharField(label="Linked KPI", required=False, max_length=200)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=forms.RadioSelect)
    due_date = UKDateField(label="Due date", required=False)
    text = forms.CharField(
        label="Update",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has happened since the last update.",
    )
    on = UKDateField(label="Date of this update")
    seen_version = forms.IntegerField(widget=forms.HiddenInput)


class InlineStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    seen_version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingStateForm(forms.Form):
    state = forms.ChoiceField(choices=Meeting.State.choices)
    on = UKDateField(label="Publication date", required=False)


class WrittenRequestForm(forms.Form):
    reference = forms.CharField(label="Reference", required=False, max_length=40)
    subject = forms.CharField(label="Subject", max_length=300, widget=forms.TextInput(attrs={"class": WIDE}))
    subject_area = forms.CharField(
        label="Subject area", required=False, max_length=300, widget=forms.TextInput(attrs={"class": WIDE})
    )
    question = forms.CharField(label="The question", widget=forms.Textarea(attrs={"rows": 6}))
    sent_on = UKDateField(label="Date sent")
    working_days = forms.IntegerField(
        label="Working days to respond",
        min_value=1,
        max_value=250,
        initial=20,
        help_text="Weekends and England and Wales bank holidays are not counted.",
    )
    meeting = forms.ModelChoiceField(label="Related meeting", queryset=Meeting.objects.none(), required=False)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings


class ResponseForm(forms.Form):
    received_on = UKDateField(label="Date response received", required=False)
    response = forms.CharField(label="Response", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    follow_up = forms.CharField(label="Follow-up", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PanelReportForm(forms.Form):
    start = UKDateField(label="Meetings from")
    end = UKDateField(label="to")
    as_at = UKDateField(label="Written requests' state as at", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date is before the start date.")
        return data

"""The API logs every read of a pupil's data as the pages do (audit.reads)."""

from rest_framework import serializers

from audit.reads import REASON_OVER, note_read


class LogsPupilReads:
    """For a viewset whose records each concern one pupil (``pupil_field``: ``pupil_id``, or
    ``pk`` for pupils themselves): every page of a list and every record read is noted in the
    access log. More than 100 pupils in one answer needs ``?reason=``, as an export does."""

    pupil_field = "pupil_id"

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._note(page if page is not None else queryset)
        return page

    def get_object(self):
        record = super().get_object()
        self._note([record])
        return record

    def _note(self, records) -> None:
        ids = {_follow(record, self.pupil_field) for record in records}
        ids.discard(None)
        reason = self.request.query_params.get("reason", "").strip()
        if len(ids) > REASON_OVER and not reason:
            raise serializers.ValidationError(
                {"reason": f"Give a reason (?reason=) to read more than {REASON_OVER} pupils "
                 "at once"}
            )  # fmt: skip
        note_read(self.request, ids, f"API {self.basename}", reason=reason[:300])


def _follow(record, path: str):
    if isinstance(record, dict):  # a row of values (config.api.ListsValues)
        return record[path]
    for part in path.split("."):
        record = getattr(record, part)
    return record

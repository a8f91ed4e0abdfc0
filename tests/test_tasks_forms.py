"""The unit picker: a <select multiple> the page script makes searchable (app.js)."""

from pathlib import Path

import luoshi
from luoshi.tasks.forms import TaskEditForm

APP_JS = Path(luoshi.__file__).parent / "core" / "static" / "luoshi" / "app.js"


def test_it_marks_the_co_units_select_for_the_searchable_picker(db):
    html = str(TaskEditForm()["co_units"])
    assert "multiple" in html and 'data-search="输入单位名称筛选"' in html and 'data-chosen="已选：' in html


def test_it_ships_the_picker_script_without_any_library():
    script = APP_JS.read_text()
    assert 'select[multiple][data-search]' in script and "option.selected = !option.selected" in script
    assert "http" not in script

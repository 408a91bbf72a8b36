"""The printed table and the JSON record of a run."""
import json

RATIO_NOTE = ('ratio > 1 means ours is better: theirs/ours for times and '
              'memory, ours/theirs for rates')


def _number(value):
    if value is None:
        return 'n/a'
    if isinstance(value, str):
        return value
    if abs(value) >= 100:
        return '%.0f' % value
    if abs(value) >= 10:
        return '%.1f' % value
    return '%.2f' % value


def ratio(figure, ours, theirs):
    """How many times better ours is, or None where that means
    nothing (a count, a missing value, a zero)."""
    ours_value = figure.values.get(ours)
    theirs_value = figure.values.get(theirs)
    numbers = all(isinstance(value, (int, float)) and value > 0
                  for value in (ours_value, theirs_value))
    if figure.better is None or not numbers:
        return None
    if figure.better == 'higher':
        return ours_value / theirs_value
    return theirs_value / ours_value


def _title(figure):
    direction = {'higher': ', higher is better',
                 'lower': ', lower is better'}.get(figure.better, '')
    unit = ' (%s%s)' % (figure.unit, direction) if figure.unit else ''
    return figure.name + unit


def table(figures, labels):
    """The figures as text, grouped by scenario; ``labels`` are the
    sides' labels, ours first."""
    rows = [['figure'] + list(labels)]
    if len(labels) == 2:
        rows[0].append('ratio')
    scenario = None
    for figure in figures:
        if figure.scenario != scenario:
            scenario = figure.scenario
            rows.append([scenario])
        row = ['  ' + _title(figure)]
        row += [_number(figure.values.get(label)) for label in labels]
        if len(labels) == 2:
            value = ratio(figure, *labels)
            row.append('-' if value is None else '%.2fx' % value)
        rows.append(row)
    widths = [max(len(row[column]) for row in rows if len(row) > column)
              for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        if len(row) == 1:
            lines.append(row[0])
            continue
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width)
                  for cell, width in zip(row[1:], widths[1:])]
        lines.append('  '.join(cells).rstrip())
    if len(labels) == 2:
        lines.append('(%s)' % RATIO_NOTE)
    return '\n'.join(lines)


def checks_text(checks, compared):
    if not checks:
        return ''
    title = ('Same answers, ours vs theirs (order aside; randomization '
             'off):' if compared else
             'Answers (one server: checked for validity only):')
    lines = [title]
    for check in checks:
        verdict = ('DIFFERENT: ' + '; '.join(check.differences)
                   if check.differences else check.summary)
        lines.append('  %s, %s: %s' % (check.scenario, check.what, verdict))
    return '\n'.join(lines)


def as_json(figures, checks, sides, seconds):
    return json.dumps({
        'servers': {side.label: side.server.description for side in sides},
        'seconds': seconds,
        'figures': [{'scenario': figure.scenario, 'figure': figure.name,
                     'unit': figure.unit, 'better': figure.better,
                     'values': figure.values}
                    for figure in figures],
        'checks': [{'scenario': check.scenario, 'check': check.what,
                    'summary': check.summary,
                    'differences': check.differences}
                   for check in checks],
    }, indent=2)

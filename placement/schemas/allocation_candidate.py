"""Query strings of GET /allocation_candidates, checked as OpenStack
Placement checks them: the last value of each parameter against the
schema of the microversion. The group parameters' own syntax is
placement.queryparams's business."""
import copy

_STRING = {'type': 'string'}

GET_1_10 = {
    'type': 'object',
    'properties': {'resources': _STRING},
    'required': ['resources'],
    'additionalProperties': False,
}

GET_1_16 = copy.deepcopy(GET_1_10)
GET_1_16['properties']['limit'] = {
    'type': ['integer', 'string'], 'pattern': '^[1-9][0-9]*$',
    'minimum': 1, 'minLength': 1}

GET_1_17 = copy.deepcopy(GET_1_16)
GET_1_17['properties']['required'] = _STRING

GET_1_21 = copy.deepcopy(GET_1_17)
GET_1_21['properties']['member_of'] = _STRING

# From 1.25 each group parameter may carry a suffix, a number.
_NUMBER = '[1-9][0-9]*'
GET_1_25 = copy.deepcopy(GET_1_21)
for _name in ('resources', 'required', 'member_of'):
    del GET_1_25['properties'][_name]
del GET_1_25['required']
GET_1_25['patternProperties'] = {
    '^%s(%s)?$' % (name, _NUMBER): _STRING
    for name in ('resources', 'required', 'member_of')}
GET_1_25['properties']['group_policy'] = {
    'type': 'string', 'enum': ['none', 'isolate']}

GET_1_31 = copy.deepcopy(GET_1_25)
GET_1_31['patternProperties']['^in_tree(%s)?$' % _NUMBER] = _STRING

# From 1.33 a suffix is 1 to 64 letters, digits, "_" or "-".
_STRING_SUFFIX = '[a-zA-Z0-9_-]{1,64}'
GET_1_33 = copy.deepcopy(GET_1_31)
GET_1_33['patternProperties'] = {
    '^%s(%s)?$' % (name, _STRING_SUFFIX): _STRING
    for name in ('resources', 'required', 'member_of', 'in_tree')}

GET_1_35 = copy.deepcopy(GET_1_33)
GET_1_35['properties']['root_required'] = _STRING

GET_1_36 = copy.deepcopy(GET_1_35)
GET_1_36['properties']['same_subtree'] = _STRING

# Newest first: the schema of a microversion is the first it matches.
BY_MICROVERSION = (
    ((1, 36), GET_1_36), ((1, 35), GET_1_35), ((1, 33), GET_1_33),
    ((1, 31), GET_1_31), ((1, 25), GET_1_25), ((1, 21), GET_1_21),
    ((1, 17), GET_1_17), ((1, 16), GET_1_16), ((1, 10), GET_1_10),
)

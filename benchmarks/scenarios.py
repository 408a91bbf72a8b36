"""The loads, shaped as OpenStack Placement's perfload jobs shape theirs.

- flat: N providers, each with VCPU, MEMORY_MB and DISK_GB inventory,
  one aggregate and a few traits (every tenth lacks HW_CPU_X86_AVX2, so
  that ``required`` filters something out);
- nested: N trees of 7 providers: a compute node with DISK_GB, two NUMA
  nodes with VCPU and MEMORY_MB, and below each NUMA node an FPGA
  (CUSTOM_FPGA) and a VGPU device;
- wide: one root with ``children`` (8 or more) children, each holding
  SRIOV_NET_VF, asked for by 6 granular groups with ``limit=10``.

Every provider's uuid derives from the run's id and its name, so that
the servers compared hold the same uuids and their answers compare
directly. A scenario loads in units (a provider, a tree), each unit's
requests in order, the units spread over a thread pool.
"""
import urllib.parse
import uuid

_NAMESPACE = uuid.UUID('5d8f0c4e-2b7a-4f1e-9c3d-6a0b1e2f3c4d')
_CANDIDATES = '/allocation_candidates?'
_PROVIDERS = '/resource_providers?'
# Times a load request is sent again after a 5xx.
LOAD_RETRIES = 5


class Query:
    """A GET /allocation_candidates query: ``groups`` maps each request
    group's suffix ('' for the unsuffixed one) to the resources it asks
    for, which is what checking an answer's validity needs."""

    def __init__(self, groups, extra=(), limit=None):
        self.groups = groups
        self.limit = limit
        params = []
        for suffix, resources in groups.items():
            params.append(('resources' + suffix, ','.join(
                '%s:%d' % item for item in resources.items())))
        params.extend(extra)
        if limit is not None:
            params.append(('limit', str(limit)))
        # Commas and colons read better unquoted, and both servers
        # accept them so.
        self.path = _CANDIDATES + urllib.parse.urlencode(params, safe=',:')

    def requested_totals(self):
        totals = {}
        for resources in self.groups.values():
            for name, amount in resources.items():
                totals[name] = totals.get(name, 0) + amount
        return totals


class Scenario:
    """What every scenario has: a name, a size, uuids, a load split
    into units, and the queries measured."""

    name = None
    batch_units = 1

    def __init__(self, size, run_id):
        self.size = size
        self.run_id = run_id
        self.aggregate = self.uuid('aggregate')

    @property
    def label(self):
        return '%s N=%d' % (self.name, self.size)

    def uuid(self, name):
        return str(uuid.uuid5(_NAMESPACE, '%s/%s' % (self.run_id, name)))

    def provider_name(self, name):
        return 'bench-%s-%s' % (self.run_id, name)

    def prepare(self, client):
        """What must exist before any unit loads."""

    def unit_count(self):
        raise NotImplementedError

    def providers_per_unit(self):
        raise NotImplementedError

    def load_unit(self, client, index):
        raise NotImplementedError

    # Shared steps of loading one provider.

    def create_provider(self, client, name, parent=None):
        body = {'name': self.provider_name(name), 'uuid': self.uuid(name)}
        if parent is not None:
            body['parent_provider_uuid'] = self.uuid(parent)
        created = client.expect('POST', '/resource_providers', body,
                                retries=LOAD_RETRIES)
        return created['uuid'], created['generation']

    @staticmethod
    def _put(client, rp, what, generation, value):
        """PUT a provider's inventories, traits or aggregates; its new
        generation."""
        answer = client.expect(
            'PUT', '/resource_providers/%s/%s' % (rp, what),
            {'resource_provider_generation': generation, what: value},
            retries=LOAD_RETRIES)
        return answer['resource_provider_generation']

    def put_inventories(self, client, rp, generation, inventories):
        return self._put(client, rp, 'inventories', generation, inventories)

    def put_traits(self, client, rp, generation, traits):
        return self._put(client, rp, 'traits', generation, traits)

    def put_aggregates(self, client, rp, generation, aggregates):
        return self._put(client, rp, 'aggregates', generation, aggregates)


class Flat(Scenario):

    name = 'flat'
    batch_units = 50
    inventories = {
        'VCPU': {'total': 32, 'allocation_ratio': 4.0},
        'MEMORY_MB': {'total': 131072, 'reserved': 512,
                      'allocation_ratio': 1.5},
        'DISK_GB': {'total': 2048, 'reserved': 10, 'max_unit': 1024},
    }

    def __init__(self, size, run_id):
        super().__init__(size, run_id)
        self.query = Query(
            {'': {'VCPU': 1, 'DISK_GB': 10, 'MEMORY_MB': 256}},
            extra=[('member_of', self.aggregate),
                   ('required', 'HW_CPU_X86_AVX2')])
        self.providers_path = _PROVIDERS + urllib.parse.urlencode(
            [('resources', 'VCPU:1,DISK_GB:10,MEMORY_MB:256'),
             ('member_of', self.aggregate),
             ('required', 'HW_CPU_X86_AVX2')], safe=',:')

    def unit_count(self):
        return self.size

    def providers_per_unit(self):
        return 1

    def load_unit(self, client, index):
        rp, generation = self.create_provider(client, 'flat-%d' % index)
        generation = self.put_inventories(client, rp, generation,
                                          self.inventories)
        traits = ['HW_CPU_X86_SSE42', 'COMPUTE_NODE']
        if index % 10:
            traits.append('HW_CPU_X86_AVX2')
        generation = self.put_traits(client, rp, generation, traits)
        self.put_aggregates(client, rp, generation, [self.aggregate])


class Nested(Scenario):

    name = 'nested'
    batch_units = 8

    def __init__(self, size, run_id):
        super().__init__(size, run_id)
        self.query = Query(
            {'': {'DISK_GB': 10},
             '_COMPUTE': {'VCPU': 2, 'MEMORY_MB': 1024},
             '_ACCEL': {'CUSTOM_FPGA': 1},
             '_GPU': {'VGPU': 1}},
            extra=[('required_COMPUTE', 'HW_NUMA_ROOT'),
                   ('same_subtree', '_COMPUTE,_ACCEL,_GPU'),
                   ('group_policy', 'none')])
        self.providers_path = _PROVIDERS + urllib.parse.urlencode(
            [('resources', 'VCPU:2,MEMORY_MB:1024'),
             ('required', 'HW_NUMA_ROOT')], safe=',:')

    def prepare(self, client):
        response = client.request('PUT', '/resource_classes/CUSTOM_FPGA')
        if response.status not in (201, 204):
            raise RuntimeError('could not create CUSTOM_FPGA: %s %s' % (
                response.status, response.raw[:300]))

    def unit_count(self):
        return self.size

    def providers_per_unit(self):
        return 7

    def load_unit(self, client, index):
        root = 'tree-%d' % index
        rp, generation = self.create_provider(client, root)
        generation = self.put_inventories(client, rp, generation, {
            'DISK_GB': {'total': 2048, 'reserved': 10}})
        generation = self.put_traits(client, rp, generation,
                                     ['COMPUTE_NODE'])
        self.put_aggregates(client, rp, generation, [self.aggregate])
        for numa in (0, 1):
            self._load_numa(client, root, numa)

    def _load_numa(self, client, root, numa):
        node = '%s-numa%d' % (root, numa)
        rp, generation = self.create_provider(client, node, parent=root)
        generation = self.put_inventories(client, rp, generation, {
            'VCPU': {'total': 16, 'allocation_ratio': 2.0},
            'MEMORY_MB': {'total': 65536, 'reserved': 256}})
        self.put_traits(client, rp, generation, ['HW_NUMA_ROOT'])
        for device, inventory in (('fpga', {'CUSTOM_FPGA': {'total': 4}}),
                                  ('vgpu', {'VGPU': {'total': 8}})):
            rp, generation = self.create_provider(
                client, '%s-%s' % (node, device), parent=node)
            self.put_inventories(client, rp, generation, inventory)


class Wide(Scenario):
    """One tree, whatever N: its cost lies in combining groups."""

    name = 'wide'
    groups = 6

    def __init__(self, children, run_id):
        super().__init__(children, run_id)
        self.query = Query(
            {'_NIC%d' % number: {'SRIOV_NET_VF': 1}
             for number in range(1, self.groups + 1)},
            extra=[('group_policy', 'none')], limit=10)
        self.providers_path = _PROVIDERS + urllib.parse.urlencode(
            [('resources', 'SRIOV_NET_VF:1'),
             ('in_tree', self.uuid('wide-root'))], safe=',:')

    @property
    def label(self):
        return 'wide 1 root, %d children' % self.size

    def unit_count(self):
        return 1

    def providers_per_unit(self):
        return 1 + self.size

    def load_unit(self, client, index):
        rp, generation = self.create_provider(client, 'wide-root')
        self.put_traits(client, rp, generation, ['COMPUTE_NODE'])
        for child in range(self.size):
            rp, generation = self.create_provider(
                client, 'wide-nic%d' % child, parent='wide-root')
            # Room for every claim a run makes, all on this one tree.
            self.put_inventories(client, rp, generation, {
                'SRIOV_NET_VF': {'total': 100000, 'max_unit': 100000}})


def build(names, size, trees, wide_children, run_id):
    """The scenarios named, in the order given; ``trees`` nested trees
    (N when None)."""
    makers = {'flat': lambda: Flat(size, run_id),
              'nested': lambda: Nested(trees or size, run_id),
              'wide': lambda: Wide(wide_children, run_id)}
    return [makers[name]() for name in names]

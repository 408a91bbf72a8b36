"""Provider summaries: what a scheduler needs to know of each provider of
the trees that the candidates use."""
import orjson

ALL_CLASSES_FROM = (1, 27)
TRAITS_FROM = (1, 17)
TREE_FROM = (1, 29)


class Summariser:
    """Summaries at one microversion (``want.matches``) of the providers
    of one answer, {provider id: search.Provider}, showing the resource
    classes ``summarised_classes`` (None for all): what the microversion
    shows is decided once, not for every provider."""

    def __init__(self, providers, summarised_classes, want):
        self._providers = providers
        self._requested = summarised_classes
        self._traits = want.matches(TRAITS_FROM)
        self._tree = want.matches(TREE_FROM)

    def summary(self, provider, inventories, traits, resources_json=None):
        """The summary of ``provider``, given its search.Inventory list
        and {trait name: id}; or instead of the inventories, the JSON text
        of its resources as the database wrote them for this
        microversion."""
        if resources_json is not None:
            data = {'resources': orjson.Fragment(resources_json)}
        else:
            requested = self._requested
            data = {'resources': {
                inventory.class_name: {'capacity': inventory.capacity,
                                       'used': inventory.used}
                for inventory in inventories
                if requested is None or inventory.class_name in requested}}
        if self._traits:
            data['traits'] = sorted(traits)
        if self._tree:
            parent = self._providers.get(provider.parent_id)
            data['parent_provider_uuid'] = parent.uuid if parent else None
            data['root_provider_uuid'] = self._providers[
                provider.root_id].uuid
        return data

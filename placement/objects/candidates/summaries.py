"""Provider summaries: what a scheduler needs to know of each provider of
the trees that the candidates use."""


def summary(provider, providers, inventories, traits, requested_classes,
            want):
    """The summary of one provider at microversion ``want``
    (``want.matches``)."""
    shown = [inventory for inventory in inventories
             if want.matches((1, 27))
             or inventory.class_name in requested_classes]
    data = {'resources': {
        inventory.class_name: {'capacity': inventory.capacity,
                               'used': inventory.used}
        for inventory in shown}}
    if want.matches((1, 17)):
        data['traits'] = sorted(traits)
    if want.matches((1, 29)):
        parent = providers.get(provider.parent_id)
        data['parent_provider_uuid'] = parent.uuid if parent else None
        data['root_provider_uuid'] = providers[provider.root_id].uuid
    return data

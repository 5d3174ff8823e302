package io.sluice.group.offsets;

import io.sluice.group.OffsetStore;

class InMemoryOffsetStoreTest extends OffsetStoreContract {

    @Override
    protected OffsetStore newStore() {
        return new InMemoryOffsetStore();
    }
}

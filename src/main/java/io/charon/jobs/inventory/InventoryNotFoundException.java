package io.charon.jobs.inventory;

/** No inventory of that name, or none the caller may see: both answer alike. */
public class InventoryNotFoundException extends RuntimeException {

    private final String name;

    public InventoryNotFoundException(String name) {
        super("no inventory named " + name);
        this.name = name;
    }

    public String name() {
        return name;
    }
}

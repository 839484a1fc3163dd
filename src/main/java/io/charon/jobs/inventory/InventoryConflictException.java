package io.charon.jobs.inventory;

/** Not possible in the inventory's present state: its name is taken, or jobs that have not ended name it. */
public class InventoryConflictException extends RuntimeException {

    public InventoryConflictException(String message) {
        super(message);
    }
}

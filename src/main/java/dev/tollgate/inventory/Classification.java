package dev.tollgate.inventory;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A name's risk classification, set by a risk officer: whether it faces customers, handles personal data, is
 * used where a regulation applies (credit, employment, health…), and how autonomously it acts.
 */
@Schema(name = "InventoryClassification")
public record Classification(Boolean customerFacing, Boolean personalData, Boolean regulatedUse, Autonomy autonomy) {
}

namespace MossGrains.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReasonCode
{
    None,
    ApplicationRequested,
    ActivationIdle,
    ShuttingDown,
    DuplicateActivation,
    ActivationFailed,
}

/// <summary>Passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
public readonly record struct DeactivationReason(DeactivationReasonCode ReasonCode, string Description);

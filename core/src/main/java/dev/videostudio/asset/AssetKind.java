package dev.videostudio.asset;

/** What an asset is, as the timeline uses it. */
public enum AssetKind {
    AUDIO, VIDEO, IMAGE
}

package dev.nnc.check;

/**
 * One check over a file. A pass reports diagnostics and records what it established in the {@link
 * CheckContext}; it may assume every earlier pass finished without errors.
 */
interface CheckPass {
  void run(CheckContext context);
}

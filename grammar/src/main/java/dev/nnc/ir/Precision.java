package dev.nnc.ir;

public enum Precision {
  FLOAT,
  DOUBLE
}

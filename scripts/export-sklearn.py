#!/usr/bin/env python3
"""Exports scikit-learn's wine, breast cancer and diabetes data sets as the CSV files of the
samples (train.csv and test.csv, 80/20, seeded, stratified for the classifiers), and prints what
scikit-learn's MLPClassifier / MLPRegressor reach on the same split (the figures the samples'
READMEs compare with). Needs scikit-learn (Debian: apt-get install python3-sklearn).

    /usr/bin/python3 scripts/export-sklearn.py        # from the repository's root
"""
import os

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, mean_squared_error, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")


def write(folder, name, x, y, label):
    path = os.path.join(ROOT, folder, name)
    with open(path, "w") as out:
        for row, target in zip(x, y):
            cells = [repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in row]
            cells.append(str(int(target)) if label else repr(float(target)))
            out.write(",".join(cells) + "\n")


def export(folder, x, y, label):
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.2, random_state=0, stratify=y if label else None)
    write(folder, "train.csv", x_train, y_train, label)
    write(folder, "test.csv", x_test, y_test, label)
    return x_train, x_test, y_train, y_test


def classifier(folder, data):
    x_train, x_test, y_train, y_test = export(folder, data.data, data.target, True)
    for early in (False, True):
        model = make_pipeline(
            StandardScaler(), MLPClassifier(max_iter=2000, early_stopping=early, random_state=0))
        model.fit(x_train, y_train)
        predicted = model.predict(x_test)
        line = f"{folder}: {len(y_train)} + {len(y_test)} rows; MLPClassifier(early_stopping={early}) test accuracy {accuracy_score(y_test, predicted):.4f}"
        if len(set(y_train)) == 2:
            line += f", F1 {f1_score(y_test, predicted):.4f}, AUC {roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]):.4f}"
        print(line)


def regressor(folder, data):
    x_train, x_test, y_train, y_test = export(folder, data.data, data.target, False)
    for early in (False, True):
        model = TransformedTargetRegressor(
            regressor=make_pipeline(
                StandardScaler(),
                MLPRegressor(max_iter=2000, early_stopping=early, random_state=0)),
            transformer=StandardScaler())
        model.fit(x_train, y_train)
        predicted = model.predict(x_test)
        rmse = mean_squared_error(y_test, predicted) ** 0.5
        print(f"{folder}: {len(y_train)} + {len(y_test)} rows; MLPRegressor(early_stopping={early}) test RMSE {rmse:.2f}, MAE {mean_absolute_error(y_test, predicted):.2f}")


classifier("wine", load_wine())
classifier("breast-cancer", load_breast_cancer())
regressor("diabetes", load_diabetes(scaled=False))

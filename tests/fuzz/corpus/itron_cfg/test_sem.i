# 0 "test_sem.cfg"
# 1 "test_sem.cfg"
# 1 "test_sem.h" 1
# 3 "test_sem.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_sem.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_sem.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_sem.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_sem.cfg"
                                                                   });
CRE_TSK(TASK3, { 0U, 3, task3, 8, 4096U, 
# 6 "test_sem.cfg" 3 4
                                                             ((void *)0) 
# 6 "test_sem.cfg"
                                                                  });
CRE_SEM(SEM1, { 0x01U, 1, 1 });
CRE_SEM(SEM2, { 0x00U, 0, 2 });
CRE_ALM(ALM1, { 0U, 1, alm1 });
